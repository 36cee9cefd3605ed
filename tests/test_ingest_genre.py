"""Documents of the genre written for these tests, in shapes neither the seeds nor
tests/test_new_shapes.py show.

(a) a city 分工方案 in prose: sections 一、, items 1. 2. closed by （牵头单位：…；配合单位：…；完成时限：…）,
    a page number between items, an annex announced at the end;
(b) a table printed one row per line, cells split by two full-width spaces, the 完成时限 column
    before the 责任单位 column;
(c) a portal page (.html): navigation, 信息公开 table, a notice forwarding (转发) a city's plan whose
    table is inside <table> tags with rowspan-merged units and deadline cells, share bar, counters;
(d) a county 责任分工 in three levels (一、 / （一） / 1.) whose 1. 2. restart under every heading,
    units relative to the county (县财政局, 县政务服务中心) and collectives (各乡镇（街道）);
(e) a PDF table flattened line by line whose 完成时限 column comes before 责任单位, with a page
    footer and the header repeated;
(f) a city 工作要点 whose items close with roles in words (（市政府办公室牵头，市级各部门按职责分工负责）)
    and whose cover letter is signed with a date in Chinese numerals (二〇二二年四月六日);
(g) a Markdown pipe table with separate 牵头单位 and 配合单位 columns;
(h) a tab-cell table from a joint 两办 notice, with an empty 备注 column and 1. 2. restarting in
    each section;
(i) a small Word table (five rows) whose first column is a merged 类别 cell, 序号 second;
(j) the same table printed with spaces, the merged 类别 cell printed once per group;
(k)–(m) roles labelled inside a units cell (牵头单位：…；配合单位：…, 牵头：…), on lines of their own
    under each item (责任单位： / 完成时限：), or in short labels in a closing parenthesis;
(n) duties 1. 2. 3. with sub-points （1）（2）… on lines of their own (the sub-points are text);
(p) a PDF table flattened line by line with a 牵头单位 and a 配合单位 column;
(q) prose whose last duty is followed by the signature, (此件公开发布), 抄送 and 印发 lines;
(r) prose whose annex heading carries its title without a colon (附件1 重点任务责任分工表);
(s), (u) a flattened PDF table and a tab-cell table signed right after their last row;
(w) a title the PDF broke over two lines, the region on the first;
(x) an autonomous prefecture named the way its documents name it (凉山州, 州财政局);
(z) a tab-cell table whose section rows nest （一） headings under 一、 headings;
(za) a portal page copied as text: breadcrumbs, the 信息公开 block as text, print/close links,
    previous-article link and copyright after the last duty;
(o) a GBK portal page of prose duties whose 信息公开 list names the issuer without its region
    (发文机关：市政府办公室) and dates it 2023-04-14, the body unsigned.

Every expected value below was read off the text written here, by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policy_lineage.ingest.parser import parse_file, parse_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

CITY_PLAN = """广元市人民政府办公室
关于印发《广元市2023年政务公开重点工作任务分工方案》的通知
广府办函〔2023〕12号

各县（区）人民政府，市级各部门：
　　《广元市2023年政务公开重点工作任务分工方案》已经市政府同意，现印发给你们，请认真抓好落实。

广元市人民政府办公室
2023年4月20日

广元市2023年政务公开重点工作任务分工方案

　　为贯彻落实《四川省人民政府办公厅关于印发2023年四川省政务公开工作要点的通知》（川办发〔2023〕8号）精神，结合我市实际，制定本方案。

一、围绕稳经济促发展加强政策公开
　　1.加强经济政策发布解读。及时公开稳增长、促消费等政策措施，每季度发布一次政策清单。（牵头单位：市发展改革委；配合单位：市财政局、市商务局；完成时限：长期坚持）
　　2.做好惠企政策精准推送。依托“天府通办”广元站点开设惠企政策专区，2023年6月底前完成专区建设。（牵头单位：市政务服务和大数据局；配合单位：市经济和信息化局、各县（区）人民政府；完成时限：2023年6月底前）

—2—

二、围绕保障和改善民生加强信息公开
　　3.推进就业信息公开。集中公开就业创业扶持政策和招聘信息。（牵头单位：市人力资源社会保障局；配合单位：各县（区）人民政府；完成时限：2023年12月31日前）
　　4.做好教育信息公开。公开义务教育招生入学政策、学区划分等信息。（牵头单位：市教育局；完成时限：2023年8月底前）
三、夯实政务公开工作基础
　　5.加强政府网站管理。开展政府网站和政务新媒体季度检查，检查结果在市政府门户网站公开。（牵头单位：市政府办公室；配合单位：市级各部门；完成时限：每季度）

附件：广元市2023年政务公开联络员名单
"""

SPACED_TABLE = """附件

苍溪县2024年政务公开重点工作任务清单

序号　　工作任务　　完成时限　　责任单位
一、推进决策公开
1　　编制并公开县政府2024年度重大行政决策事项目录。　　2024年3月底前　　县司法局、县政府办公室
2　　县政府常务会议讨论决定的重要事项，会后及时发布会议信息。　　长期坚持　　县政府办公室
二、加强政策解读
3　　以县政府名义印发的政策文件同步发布解读材料，解读率达到100%。　　及时办理　　县级各部门
4　　围绕优化营商环境，开展“政策进企业”宣讲活动不少于4次。　　2024年11月30日前　　县经济商务和信息化局、各乡镇人民政府
5　　规范政府信息公开申请办理，按期答复率达到100%。　　每季度　　县政府办公室

苍溪县人民政府办公室
2024年2月28日
"""

PORTAL_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>青川县人民政府办公室关于转发《广元市2023年政务公开重点工作任务分工方案》的通知_青川县人民政府</title>
<script>var _hmt = _hmt || [];</script></head>
<body>
<div class="topbar">无障碍 | 长者模式 | 登录</div>
<div class="header"><img src="logo.png" alt="青川县人民政府"><ul class="menu"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府文件</div>
<table class="xxgk-table">
<tr><td>索引号：</td><td>115108220085781234/2023-00042</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>青川县人民政府办公室</td><td>成文日期：</td><td>2023年05月06日</td></tr>
<tr><td>文号：</td><td>青府办发〔2023〕15号</td><td>发布日期：</td><td>2023年05月09日</td></tr>
<tr><td>标题：</td><td colspan="3">青川县人民政府办公室关于转发《广元市2023年政务公开重点工作任务分工方案》的通知</td></tr>
</table>
<div class="article">
<h1>青川县人民政府办公室关于转发《广元市2023年政务公开重点工作任务分工方案》的通知</h1>
<div class="info">发布时间：2023-05-09 浏览次数：286 字体：[大 中 小]</div>
<div id="zoom" class="article-content">
<p>各乡镇人民政府，县级各部门：</p>
<p>　　现将《广元市2023年政务公开重点工作任务分工方案》（广府办函〔2023〕12号）转发给你们，请结合实际，认真抓好贯彻落实。</p>
<p style="text-align:right">青川县人民政府办公室</p>
<p style="text-align:right">2023年5月6日</p>
<p style="text-align:center"><strong>广元市2023年政务公开重点工作任务分工方案</strong></p>
<table border="1">
<tr><th>序号</th><th>重点任务</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td colspan="4">一、加强政策发布解读</td></tr>
<tr><td>1</td><td>及时公开稳增长、促消费等政策措施，每季度发布一次政策清单。</td><td rowspan="2">市发展改革委、市财政局</td><td>长期坚持</td></tr>
<tr><td>2</td><td>围绕重大政策开展多元化解读，解读形式不少于3种。</td><td>2023年6月底前</td></tr>
<tr><td colspan="4">二、推进民生信息公开</td></tr>
<tr><td>3</td><td>集中公开就业创业扶持政策和招聘信息，<br>每月更新一次。</td><td>市人力资源社会保障局</td><td rowspan="2">2023年12月31日前</td></tr>
<tr><td>4</td><td>公开义务教育招生入学政策、学区划分等信息。</td><td>市教育局、各县（区）人民政府</td></tr>
</table>
</div>
<div class="share">分享到：微信 微博</div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">主办：青川县人民政府办公室 网站标识码：5108220001 蜀ICP备05012345号 访问量：1234567</div>
</body>
</html>
"""

COUNTY_THREE_LEVELS = """旺苍县人民政府办公室关于印发旺苍县2024年政务公开工作要点责任分工的通知

各乡镇人民政府、街道办事处，县级各部门：
　　现将《旺苍县2024年政务公开工作要点责任分工》印发给你们，请认真抓好落实。

旺苍县人民政府办公室
2024年3月12日

旺苍县2024年政务公开工作要点责任分工

一、以政务公开助力经济高质量发展
（一）加强惠企政策公开
1.集中公开惠企政策清单，2024年6月30日前在县政府门户网站开设惠企政策专栏。（责任单位：县经济商务和信息化局、县政务服务中心；完成时限：2024年6月30日前）
2.做好涉企收费信息公开，动态调整涉企收费目录清单。（责任单位：县财政局、县发展改革局；完成时限：动态调整）
（二）做好财政信息公开
1.公开县本级预决算和“三公”经费，公开率达到100%。（责任单位：县财政局，县级各部门；完成时限：2024年8月底前）
2.推进乡镇财政预决算公开。（责任单位：县财政局，各乡镇（街道）；完成时限：长期坚持）
二、以政务公开提升基层治理能力
（一）推进基层政务公开标准化
1.更新乡镇（街道）政务公开事项标准目录，并在政务服务场所公开。（牵头单位：县政府办公室；责任单位：各乡镇（街道）；完成时限：2024年9月底前）

- 2 -

2.规范村（居）务公开，每季度公开一次村级财务收支情况。（牵头单位：县民政局、县农业农村局；责任单位：各乡镇（街道）；完成时限：每季度）
（二）加强政策解读
1.县政府出台的重要政策文件同步发布解读材料，县委宣传部加强舆情引导。（责任单位：县政府办公室、县委宣传部；完成时限：及时公开）
"""

FLAT_DEADLINE_FIRST = """南江县2023年政务公开重点任务分解表

序号 重点任务 完成时限 责任单位

1

公开县政府重大行政决策事项目录，决策前

向社会公开征求意见。

2023年6

月底前

县司法局、县

政府办公室

2

做好政策解读，以县政府名义印发的文件

同步发布解读材料。

长期坚持

县政府办公室

— 3 —

序号 重点任务 完成时限 责任单位

3

推进乡镇政务公开标准化建设，更新标准

目录。

2023年9

月底前

各乡镇人民

政府
"""

ROLES_IN_WORDS = """自贡市人民政府办公室
关于印发2022年自贡市政务公开工作要点的通知
自府办发〔2022〕5号

各区县人民政府，市级各部门：
现将《2022年自贡市政务公开工作要点》印发给你们，请结合实际认真贯彻落实。

自贡市人民政府办公室
二〇二二年四月六日

2022年自贡市政务公开工作要点

一、加强政策解读回应
（一）做好政策解读。市政府出台的重要政策文件，解读材料与政策文件同步起草、同步审签、同步发布。（市政府办公室牵头，市级各部门按职责分工负责）
（二）回应社会关切。健全舆情收集、研判、处置和回应机制，重大舆情24小时内作出回应。（市委网信办、市政府办公室负责）
二、推进重点领域信息公开
（三）推进财政信息公开。2022年9月底前在市政府门户网站集中公开部门预决算。（市财政局负责）
（四）推进就业信息公开。（1）公开就业政策；（2）公开招聘信息。（市人力资源社会保障局负责，各区县人民政府配合）
"""

MARKDOWN_TABLE = """# 泸州市江阳区2023年政务公开重点工作任务清单

| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |
| --- | --- | --- | --- | --- |
| 1 | 公开区政府重大行政决策事项目录，决策草案向社会公开征求意见。 | 区司法局 | 区政府办公室 | 2023年6月底前 |
| 2 | 推进财政预决算公开，区级部门预决算公开率达到100%。 | 区财政局 | 区级各部门 | 2023年9月30日前 |
| 3 | 规范依申请公开办理，按时答复率达到100%。 | 区政府办公室 | 各镇（街道） | 长期坚持 |
| 4 | 更新基层政务公开标准目录。 | 区政府办公室 | 各镇人民政府、街道办事处 | 2023年12月底前 |

泸州市江阳区人民政府办公室
2023年3月1日
"""

TAB_WITH_REMARKS = """中共剑阁县委办公室 剑阁县人民政府办公室
关于印发《剑阁县2023年政务公开工作任务分解表》的通知
剑委办发〔2023〕21号

各乡镇党委和人民政府，县级各部门：
现将《剑阁县2023年政务公开工作任务分解表》印发给你们，请认真贯彻执行。

中共剑阁县委办公室　　　　剑阁县人民政府办公室
2023年5月18日

剑阁县2023年政务公开工作任务分解表

\t序号
\t工作任务
\t牵头单位
\t责任单位
\t完成时限
\t备注

\t一、加强政策解读

\t1
\t县政府出台的政策性文件同步发布解读材料。
\t县政府办公室
\t县级各部门
\t长期坚持
\t

\t2
\t建立政策解读台账，每半年通报一次解读情况。
\t县政府办公室
\t县级各部门
\t2023年6月底前
\t

\t二、推进基层政务公开

\t1
\t更新乡镇政务公开事项标准目录。
\t县政府办公室
\t各乡镇
\t2023年9月底前
\t重点任务

\t2
\t在乡镇便民服务中心设立政务公开专区。
\t县政务服务中心
\t各乡镇
\t2023年12月底前
\t

"""

SPACED_WITH_GROUPS = """朝天区2024年政务公开重点任务分工

类别  序号  工作任务  责任单位  完成时限
决策公开  1  公开区政府重大行政决策事项目录。  区司法局  2024年3月底前
2  区政府常务会议邀请利益相关方列席。  区政府办公室  长期坚持
政策解读  3  政策文件与解读材料同步发布。  区级各部门  及时公开
4  开展政策进社区宣讲活动。  各镇（街道）  2024年10月底前
"""

LABELS_IN_CELLS = """利州区2023年政务公开工作任务清单

序号  工作任务  责任单位  完成时限
1  公开区政府重大行政决策事项目录。  牵头单位：区司法局；配合单位：区政府办公室  2023年6月底前
2  区政府常务会议邀请利益相关方列席。  区政府办公室（牵头）、区级各部门  长期坚持
3  政策文件与解读材料同步发布。  牵头：区政府办公室；配合：区级各部门  及时公开
"""

LABEL_LINES = """利州区2023年政务公开工作要点

一、推进决策公开
（一）公开区政府重大行政决策事项目录。
责任单位：区司法局
完成时限：2023年6月底前
（二）区政府常务会议邀请利益相关方列席。
牵头单位：区政府办公室
责任单位：区级各部门
完成时限：长期坚持
（三）政策文件与解读材料同步发布。
责任单位：区政府办公室
"""

SHORT_LABELS = """利州区2023年政务公开工作要点

一、推进决策公开
（一）公开区政府重大行政决策事项目录。（牵头：区司法局；配合：区政府办公室）
（二）区政府常务会议邀请利益相关方列席。（牵头：区政府办公室）
（三）政策文件与解读材料同步发布。
"""

SUB_POINTS = """昭化区2023年政务公开工作要点

一、推进决策公开
1.规范重大行政决策程序，重大决策事项在决策前公开征求意见。具体要求如下：
（1）公开征求意见期限不少于30日；
（2）意见采纳情况及时公开。
（责任单位：区司法局；完成时限：2023年12月底前）
2.做好政策解读工作。
（1）解读材料与政策文件同步发布；
（2）解读形式不少于3种；
（3）主要负责同志带头解读。
（责任单位：区政府办公室）
二、加强平台建设
3.加强政府网站管理，开展季度检查。（责任单位：区政府办公室；完成时限：每季度）
"""

FLAT_TWO_UNIT_COLUMNS = """蓬溪县2023年政务公开重点任务分解表

序号 工作任务 具体措施 牵头单位 配合单位 完成时限

1

决策公开

县政府重大行政决策事项目录在县政府网站

公开，决策草案公开征求意见不少于30日。

县司法局

县政府办公室

2023年6月

底前

2

政策解读

县政府政策性文件与解读材料同步起草、同

步审签、同步发布。

县政府办公室

县级各部门

长期坚持

3

依申请公开

规范依申请公开办理流程，按时答复。

县政府办公室

各乡镇人民

政府

及时办理
"""

SIGNED_AFTER_LAST_DUTY = """利州区2023年政务公开工作要点

一、推进决策公开
（一）公开区政府重大行政决策事项目录。（责任单位：区司法局）
（二）区政府常务会议邀请利益相关方列席。（责任单位：区政府办公室）
（三）政策文件与解读材料同步发布。

广元市利州区人民政府办公室
2023年3月8日

（此件公开发布）

抄送：区委办，区人大办，区政协办。
广元市利州区人民政府办公室                2023年3月8日印发
"""

ANNEX_WITH_TITLE = """利州区2023年政务公开工作要点

一、推进决策公开
（一）公开区政府重大行政决策事项目录。
（二）区政府常务会议邀请利益相关方列席。
（三）政策文件与解读材料同步发布。

附件1 重点任务责任分工表

序号 重点任务 责任单位
1 公开区政府重大行政决策事项目录 区司法局
2 区政府常务会议邀请利益相关方列席 区政府办公室
3 政策文件与解读材料同步发布 区级各部门
"""

FLAT_SIGNED = FLAT_DEADLINE_FIRST + "\n南江县人民政府办公室\n2023年2月20日\n"  # the same table, signed right after its last row

TAB_SIGNED = """巴州区2023年政务公开重点任务
\t序号
\t重点任务
\t责任单位
\t完成时限

\t1
\t公开区政府重大行政决策事项目录。
\t区司法局
\t2023年6月底前

\t2
\t政策文件与解读材料同步发布。
\t区政府办公室
\t长期坚持

\t3
\t更新基层政务公开标准目录。
\t各镇（街道）
\t2023年9月底前
巴中市巴州区人民政府办公室
2023年2月1日
"""

TWO_LINE_TITLE = """南充市顺庆区2023年政务公开
重点工作任务分工方案

一、推进决策公开
（一）公开区政府重大行政决策事项目录。（责任单位：区司法局）
（二）区政府常务会议邀请利益相关方列席。（责任单位：区政府办公室）
（三）政策文件与解读材料同步发布。（责任单位：区级各部门）
"""

PORTAL_PROSE_GBK = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>射洪市2023年政务公开工作要点</title></head>
<body>
<div id="header"><a href="/">射洪市人民政府</a><a href="/zwgk/">政府信息公开</a></div>
<div class="dqwz">您当前的位置：首页 &gt; 政府信息公开 &gt; 法定主动公开内容 &gt; 政策文件</div>
<ul class="xxgk_info">
<li><span>索 引 号：</span>008123456/2023-00017</li>
<li><span>发文机关：</span>市政府办公室</li>
<li><span>发文字号：</span>射府办函〔2023〕20号</li>
<li><span>成文时间：</span>2023-04-14</li>
<li><span>发布时间：</span>2023-04-17</li>
</ul>
<div class="TRS_Editor">
<p align="center"><b>关于印发《射洪市2023年政务公开工作要点》的通知</b></p>
<p>各镇人民政府、街道办事处，市级各部门：</p>
<p>　　《射洪市2023年政务公开工作要点》已经市政府同意，现印发给你们，请认真贯彻执行。</p>

<p align="right">2023年4月14日</p>
<p align="center"><b>射洪市2023年政务公开工作要点</b></p>
<p>　　<b>一、加强政策发布解读</b></p>
<p>　　（一）做好政策发布。市政府出台的政策文件在政府网站及时发布。（责任单位：市政府办公室，市级各部门；完成时限：长期坚持）</p>
<p>　　（二）强化政策解读。以多种形式解读政策，2023年6月底前建立解读台账。（责任单位：市政府办公室）</p>
<p>　　<b>二、推进重点领域信息公开</b></p>
<p>　　（三）推进财政信息公开。全面公开预决算信息。（责任单位：市财政局；完成时限：2023年9月底前）</p>
<p>附件：<a href="/u/cms/2023/0417/a.doc">射洪市2023年政务公开工作要点.doc</a></p>
</div>
<div class="fenxiang">分享到：</div><div class="bottom">版权所有：射洪市人民政府 网站标识码：5109220001</div>
</body></html>
"""

NESTED_SECTION_ROWS = """高坪区2023年政务公开重点任务

\t序号
\t重点任务
\t责任单位
\t完成时限

\t一、深化决策公开

\t（一）推进决策公开

\t1
\t公开区政府重大行政决策事项目录。
\t区司法局
\t2023年6月底前

\t（二）推进政策解读

\t2
\t政策文件与解读材料同步发布。
\t区政府办公室
\t长期坚持

\t二、推进基层政务公开

\t3
\t更新基层政务公开标准目录。
\t各镇（街道）
\t2023年9月底前
"""

PORTAL_COPIED_AS_TEXT = """首页 > 政务公开 > 政策文件
索引号：11510000/2023-00012    发布机构：营山县人民政府办公室
文号：营府办发〔2023〕3号    成文日期：2023-03-02
营山县2023年政务公开工作要点
字体：【大 中 小】
一、推进决策公开
（一）公开县政府重大行政决策事项目录。（责任单位：县司法局）
（二）政策文件与解读材料同步发布。（责任单位：县政府办公室）
（三）更新基层政务公开标准目录。（责任单位：各乡镇）
【打印本页】 【关闭窗口】
上一篇：营山县2022年政务公开工作要点
版权所有：营山县人民政府  蜀ICP备12345678号
"""


def units(us):
    return [u.name for u in us]


# ----------------------------------------------------------------------------- (a)


@pytest.fixture(scope="module")
def city():
    return parse_text(CITY_PLAN, "guangyuan-2023.txt")


class TestCityPlanWithLabelledTails:
    def test_metadata(self, city):
        assert city.title == "广元市2023年政务公开重点工作任务分工方案"
        assert (city.doc_no, city.issuer) == ("广府办函〔2023〕12号", "广元市人民政府办公室")
        assert (city.region, city.region_path, city.level) == ("广元市", ["四川省", "广元市"], "city")
        assert (city.date, city.year) == ("2023-04-20", 2023)
        assert city.cites == ["川办发〔2023〕8号"]  # cited in the preamble, not the document's own

    def test_items_sections_titles(self, city):
        assert [it.seq for it in city.items] == [1, 2, 3, 4, 5]
        assert [it.section for it in city.items] == [
            ["围绕稳经济促发展加强政策公开"]] * 2 + [["围绕保障和改善民生加强信息公开"]] * 2 + [["夯实政务公开工作基础"]]
        assert city.items[0].title == "加强经济政策发布解读"
        assert city.items[1].text == "做好惠企政策精准推送。依托“天府通办”广元站点开设惠企政策专区，2023年6月底前完成专区建设。"
        assert city.items[4].text.endswith("检查结果在市政府门户网站公开。")

    def test_lead_and_other_units(self, city):
        first, second = city.items[0], city.items[1]
        assert units(first.lead_units) == ["广元市发展改革委"]
        assert units(first.units) == ["广元市财政局", "广元市商务局"]
        assert units(second.lead_units) == ["广元市政务服务和大数据局"]
        assert units(second.units) == ["广元市经济和信息化局", "各县（区）人民政府"]
        assert [u.collective for u in second.units] == [False, True]
        assert units(city.items[3].lead_units) == ["广元市教育局"] and city.items[3].units == []
        assert not any("完成时限" in u.name for it in city.items for u in it.lead_units + it.units)

    def test_labelled_deadlines(self, city):
        d = [it.deadline for it in city.items]
        assert (d[0].kind, d[0].date) == ("ongoing", None)
        assert (d[1].date, d[2].date, d[3].date) == ("2023-06-30", "2023-12-31", "2023-08-31")
        assert d[4].kind == "periodic" and d[4].text == "每季度"


# ----------------------------------------------------------------------------- (b)


@pytest.fixture(scope="module")
def spaced():
    return parse_text(SPACED_TABLE, "cangxi-2024.txt")


class TestFullWidthSpacedTableDeadlineFirst:
    def test_metadata(self, spaced):
        assert spaced.title == "苍溪县2024年政务公开重点工作任务清单"
        assert spaced.doc_no is None
        assert (spaced.issuer, spaced.date, spaced.year) == ("苍溪县人民政府办公室", "2024-02-28", 2024)
        assert (spaced.region_path, spaced.level) == (["四川省", "广元市", "苍溪县"], "county")

    def test_rows(self, spaced):
        items = spaced.items
        assert [it.seq for it in items] == [1, 2, 3, 4, 5]
        assert [it.section for it in items] == [["推进决策公开"]] * 2 + [["加强政策解读"]] * 3
        assert items[0].text == "编制并公开县政府2024年度重大行政决策事项目录。"
        assert items[3].text == "围绕优化营商环境，开展“政策进企业”宣讲活动不少于4次。"
        assert [it.source.line for it in items] == [7, 8, 10, 11, 12]

    def test_deadline_column_before_units(self, spaced):
        items = spaced.items
        assert units(items[0].units) == ["苍溪县司法局", "苍溪县政府办公室"]
        assert [u.original for u in items[0].units] == ["县司法局", "县政府办公室"]
        assert units(items[3].units) == ["苍溪县经济商务和信息化局", "各乡镇人民政府"]
        assert items[2].units[0].name == "县级各部门" and items[2].units[0].collective
        assert [it.deadline.date for it in items] == ["2024-03-31", None, None, "2024-11-30", None]
        assert [it.deadline.kind for it in items] == ["date", "ongoing", "timely", "date", "periodic"]

    def test_second_extraction_alone_reads_like_the_tab_table(self):
        # The seed's second extraction (ASCII spaces, "202 1 年底前   建立制度" printed as two cells)
        # parsed on its own gives the same first items as the tab-cell table before it.
        lines = (SEEDS / "meishan-grassroots-annex1-task-division.txt").read_text(encoding="utf-8").split("\n")
        start = next(i for i, l in enumerate(lines) if l.strip().startswith("附件") and i > 5)
        doc = parse_text("\n".join(lines[start:]), "second.txt")
        assert doc.title == "眉山市深化政务公开促进基层政府治理能力提升重点任务分工"
        assert [it.seq for it in doc.items] == [1, 2, 3, 4]
        assert doc.items[1].text == "探索建立群众参与基层政府有关会议制度。"
        assert doc.items[1].deadline.date == "2021-12-31"
        assert units(doc.items[1].units) == ["天府新区眉山管委会", "各县（区）人民政府"]
        assert [(u.name, u.role) for u in doc.items[3].units][-1] == ("眉山市政务服务管理局", "guide")


# ----------------------------------------------------------------------------- (c)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    path = tmp_path_factory.mktemp("portal") / "qingchuan-zhuanfa.html"
    path.write_text(PORTAL_PAGE, encoding="utf-8")
    return parse_file(path)


class TestPortalPageForwardingACityPlan:
    def test_block_gives_number_issuer_date(self, portal):
        assert (portal.doc_no, portal.issuer, portal.date) == ("青府办发〔2023〕15号", "青川县人民政府办公室", "2023-05-06")
        assert (portal.region_path, portal.level, portal.year) == (["四川省", "广元市", "青川县"], "county", 2023)
        assert portal.metadata_origin["doc_no"] == "container"

    def test_forwarding_recognised(self, portal):
        assert portal.forwards == "广府办函〔2023〕12号"  # the number printed after the title
        assert portal.title == "广元市2023年政务公开重点工作任务分工方案"
        assert "广府办函〔2023〕12号" in portal.cites

    def test_table_rows_with_merged_cells(self, portal):
        items = portal.items
        assert [it.seq for it in items] == [1, 2, 3, 4]
        assert [it.section for it in items] == [["加强政策发布解读"]] * 2 + [["推进民生信息公开"]] * 2
        assert items[2].text == "集中公开就业创业扶持政策和招聘信息，每月更新一次。"
        # rowspan=2 units cell of row 1 covers row 2; rowspan=2 deadline of row 3 covers row 4
        assert units(items[0].units) == units(items[1].units) == ["广元市发展改革委", "广元市财政局"]
        assert (items[0].deadline.kind, items[1].deadline.date) == ("ongoing", "2023-06-30")
        assert items[2].deadline.date == items[3].deadline.date == "2023-12-31"
        assert units(items[3].units) == ["广元市教育局", "各县（区）人民政府"]

    def test_no_portal_chrome_in_items(self, portal):
        for it in portal.items:
            assert not re.search(r"首页|当前位置|浏览次数|访问量|打印|分享|索引号", it.text)


# ----------------------------------------------------------------------------- (d)


@pytest.fixture(scope="module")
def county():
    return parse_text(COUNTY_THREE_LEVELS, "wangcang-2024.txt")


class TestCountyThreeLevelsRestartingNumbers:
    def test_metadata(self, county):
        assert county.title == "旺苍县2024年政务公开工作要点责任分工"
        assert (county.issuer, county.date, county.doc_no) == ("旺苍县人民政府办公室", "2024-03-12", None)
        assert (county.region_path, county.level, county.year) == (["四川省", "广元市", "旺苍县"], "county", 2024)

    def test_positions_number_items_when_printed_numbers_restart(self, county):
        items = county.items
        assert [it.seq for it in items] == [1, 2, 3, 4, 5, 6, 7]
        assert [it.label for it in items] == ["1.", "2.", "1.", "2.", "1.", "2.", "1."]
        assert items[2].section == ["以政务公开助力经济高质量发展", "做好财政信息公开"]
        assert items[6].section == ["以政务公开提升基层治理能力", "加强政策解读"]

    def test_page_footer_between_items(self, county):
        assert county.items[5].text == "规范村（居）务公开，每季度公开一次村级财务收支情况。"

    def test_county_relative_units_and_collectives(self, county):
        items = county.items
        assert [(u.name, u.original) for u in items[0].units] == [
            ("旺苍县经济商务和信息化局", "县经济商务和信息化局"), ("旺苍县政务服务中心", "县政务服务中心")]
        assert [(u.name, u.collective) for u in items[3].units] == [("旺苍县财政局", False), ("各乡镇（街道）", True)]
        assert units(items[4].lead_units) == ["旺苍县政府办公室"]
        assert units(items[5].lead_units) == ["旺苍县民政局", "旺苍县农业农村局"]
        assert units(items[6].units) == ["旺苍县政府办公室", "旺苍县委宣传部"]
        assert all(u.region == "旺苍县" for it in items for u in it.units + it.lead_units if not u.collective)

    def test_deadlines(self, county):
        d = [it.deadline for it in county.items]
        assert [x.date for x in d] == ["2024-06-30", None, "2024-08-31", None, "2024-09-30", None, None]
        assert [x.kind for x in d] == ["date", "dynamic", "date", "ongoing", "date", "periodic", "timely"]


# ----------------------------------------------------------------------------- (e)


class TestFlattenedTableDeadlineBeforeUnits:
    def test_rows(self):
        doc = parse_text(FLAT_DEADLINE_FIRST, "nanjiang-2023.txt")
        assert (doc.title, doc.region_path, doc.year) == ("南江县2023年政务公开重点任务分解表", ["四川省", "巴中市", "南江县"], 2023)
        assert [it.seq for it in doc.items] == [1, 2, 3]
        assert doc.items[0].text == "公开县政府重大行政决策事项目录，决策前向社会公开征求意见。"
        assert doc.items[2].text == "推进乡镇政务公开标准化建设，更新标准目录。"
        assert units(doc.items[0].units) == ["南江县司法局", "南江县政府办公室"]
        assert units(doc.items[2].units) == ["各乡镇人民政府"] and doc.items[2].units[0].collective
        assert [it.deadline.text for it in doc.items] == ["2023年6月底前", "长期坚持", "2023年9月底前"]
        assert doc.items[0].deadline.date == "2023-06-30"


# ----------------------------------------------------------------------------- (f)


class TestRolesInWordsAndChineseNumeralDate:
    def test_metadata(self):
        doc = parse_text(ROLES_IN_WORDS, "zigong-2022.txt")
        assert (doc.title, doc.doc_no) == ("2022年自贡市政务公开工作要点", "自府办发〔2022〕5号")
        assert (doc.issuer, doc.date, doc.level) == ("自贡市人民政府办公室", "2022-04-06", "city")

    def test_roles_in_words(self):
        items = parse_text(ROLES_IN_WORDS, "zigong-2022.txt").items
        assert [it.seq for it in items] == [1, 2, 3, 4]
        assert items[0].text.endswith("同步发布。")  # the （…负责） is not task text
        assert units(items[0].lead_units) == ["自贡市政府办公室"]
        assert [(u.name, u.collective) for u in items[0].units] == [("市级各部门", True)]
        assert units(items[1].units) == ["自贡市委网信办", "自贡市政府办公室"] and items[1].lead_units == []
        assert units(items[2].units) == ["自贡市财政局"]
        assert units(items[3].units) == ["自贡市人力资源社会保障局", "各区县人民政府"]
        assert items[3].text == "推进就业信息公开。（1）公开就业政策；（2）公开招聘信息。"
        assert items[2].deadline.date == "2022-09-30"


# ----------------------------------------------------------------------------- (g)


class TestMarkdownPipeTable:
    def test_rows_and_roles_by_column(self, tmp_path):
        path = tmp_path / "jiangyang-2023.md"
        path.write_text(MARKDOWN_TABLE, encoding="utf-8")
        doc = parse_file(path)
        assert (doc.title, doc.issuer, doc.date) == ("泸州市江阳区2023年政务公开重点工作任务清单", "泸州市江阳区人民政府办公室", "2023-03-01")
        assert (doc.region_path, doc.level) == (["四川省", "泸州市", "江阳区"], "county")
        items = doc.items
        assert [it.seq for it in items] == [1, 2, 3, 4]
        assert items[1].text == "推进财政预决算公开，区级部门预决算公开率达到100%。"
        assert [units(it.lead_units) for it in items] == [["江阳区司法局"], ["江阳区财政局"], ["江阳区政府办公室"], ["江阳区政府办公室"]]
        assert units(items[0].units) == ["江阳区政府办公室"]
        assert [(u.name, u.collective) for u in items[3].units] == [("各镇人民政府", True), ("街道办事处", True)]
        assert [it.deadline.date for it in items] == ["2023-06-30", "2023-09-30", None, "2023-12-31"]
        assert items[2].deadline.kind == "ongoing"


# ----------------------------------------------------------------------------- (h)


class TestTabTableWithRemarksAndRestartingNumbers:
    def test_items(self):
        doc = parse_text(TAB_WITH_REMARKS, "jiange-2023.txt")
        assert (doc.doc_no, doc.date, doc.region_path) == ("剑委办发〔2023〕21号", "2023-05-18", ["四川省", "广元市", "剑阁县"])
        items = doc.items
        assert [it.seq for it in items] == [1, 2, 3, 4]
        assert [it.label for it in items] == ["1", "2", "1", "2"]
        assert [it.section for it in items] == [["加强政策解读"]] * 2 + [["推进基层政务公开"]] * 2
        assert items[2].text == "更新乡镇政务公开事项标准目录。"  # the 备注 cell (重点任务) is not text
        assert [units(it.lead_units) for it in items] == [["剑阁县政府办公室"]] * 3 + [["剑阁县政务服务中心"]]
        assert [(u.name, u.collective) for u in items[3].units] == [("各乡镇", True)]
        assert [it.deadline.date for it in items] == [None, "2023-06-30", "2023-09-30", "2023-12-31"]


# ----------------------------------------------------------------------------- (i), (j)


def small_word_table(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("朝天区2024年政务公开重点任务分工")
    rows = [
        ["类别", "序号", "工作任务", "责任单位", "完成时限"],
        ["决策公开", "1", "公开区政府重大行政决策事项目录。", "区司法局", "2024年3月底前"],
        ["", "2", "区政府常务会议邀请利益相关方列席。", "区政府办公室", "长期坚持"],
        ["政策解读", "3", "政策文件与解读材料同步发布。", "区级各部门", "及时公开"],
        ["", "4", "开展政策进社区宣讲活动。", "各镇（街道）", "2024年10月底前"],
    ]
    table = d.add_table(rows=len(rows), cols=5)
    for tr, row in zip(table.rows, rows):
        for cell, value in zip(tr.cells, row):
            cell.text = value
    for top in (1, 3):  # 类别 merged over two rows, as Word prints it
        table.cell(top, 0).merge(table.cell(top + 1, 0))
        table.cell(top, 0).text = rows[top][0]
    d.add_paragraph("广元市朝天区人民政府办公室")
    d.add_paragraph("2024年1月25日")
    d.save(str(path))


def check_grouped_table(doc) -> None:
    items = doc.items
    assert doc.region_path == ["四川省", "广元市", "朝天区"] and doc.year == 2024
    assert [it.seq for it in items] == [1, 2, 3, 4]
    assert [it.section for it in items] == [["决策公开"]] * 2 + [["政策解读"]] * 2
    assert items[1].text == "区政府常务会议邀请利益相关方列席。"
    assert [units(it.units) for it in items] == [["朝天区司法局"], ["朝天区政府办公室"], ["区级各部门"], ["各镇（街道）"]]
    assert [it.deadline.text for it in items] == ["2024年3月底前", "长期坚持", "及时公开", "2024年10月底前"]


def test_small_word_table_with_merged_group_column(tmp_path):
    path = tmp_path / "chaotian-2024.docx"
    small_word_table(path)
    doc = parse_file(path)
    check_grouped_table(doc)
    assert (doc.issuer, doc.date) == ("广元市朝天区人民政府办公室", "2024-01-25")


def test_spaced_table_with_group_printed_once():
    check_grouped_table(parse_text(SPACED_WITH_GROUPS, "chaotian-2024.txt"))


# ----------------------------------------------------------------------------- (k)–(m)


class TestRoleLabels:
    def test_labels_inside_units_cells(self):
        items = parse_text(LABELS_IN_CELLS, "lizhou-2023.txt").items
        assert [it.seq for it in items] == [1, 2, 3]
        assert [units(it.lead_units) for it in items] == [["利州区司法局"], ["利州区政府办公室"], ["利州区政府办公室"]]
        assert [units(it.units) for it in items] == [["利州区政府办公室"], ["区级各部门"], ["区级各部门"]]
        assert items[0].deadline.date == "2023-06-30"

    def test_label_lines_under_each_item(self):
        items = parse_text(LABEL_LINES, "lizhou-2023.txt").items
        assert [it.text for it in items] == [
            "公开区政府重大行政决策事项目录。", "区政府常务会议邀请利益相关方列席。", "政策文件与解读材料同步发布。"]
        assert units(items[0].units) == ["利州区司法局"] and items[0].lead_units == []
        assert units(items[1].lead_units) == ["利州区政府办公室"] and units(items[1].units) == ["区级各部门"]
        assert (items[0].deadline.date, items[1].deadline.kind, items[2].deadline) == ("2023-06-30", "ongoing", None)

    def test_short_labels_in_parenthesis(self):
        items = parse_text(SHORT_LABELS, "lizhou-2023.txt").items
        assert items[0].text == "公开区政府重大行政决策事项目录。"
        assert units(items[0].lead_units) == ["利州区司法局"] and units(items[0].units) == ["利州区政府办公室"]
        assert units(items[1].lead_units) == ["利州区政府办公室"] and items[1].units == []
        assert items[2].lead_units == items[2].units == []


# ----------------------------------------------------------------------------- (n)


def test_sub_points_stay_inside_their_duty():
    items = parse_text(SUB_POINTS, "zhaohua-2023.txt").items
    assert [(it.seq, it.label) for it in items] == [(1, "1."), (2, "2."), (3, "3.")]
    assert items[1].text == "做好政策解读工作。（1）解读材料与政策文件同步发布；（2）解读形式不少于3种；（3）主要负责同志带头解读。"
    assert [it.section for it in items] == [["推进决策公开"]] * 2 + [["加强平台建设"]]
    assert units(items[0].units) == ["昭化区司法局"] and items[0].deadline.date == "2023-12-31"
    assert units(items[2].units) == ["昭化区政府办公室"] and items[2].deadline.kind == "periodic"


# ----------------------------------------------------------------------------- (p)


def test_flattened_lead_and_cooperating_columns():
    doc = parse_text(FLAT_TWO_UNIT_COLUMNS, "pengxi-2023.txt")
    items = doc.items
    assert [it.seq for it in items] == [1, 2, 3]
    assert items[0].text == "县政府重大行政决策事项目录在县政府网站公开，决策草案公开征求意见不少于30日。"
    assert [it.title for it in items] == ["决策公开", "政策解读", "依申请公开"]
    assert [units(it.lead_units) for it in items] == [["蓬溪县司法局"], ["蓬溪县政府办公室"], ["蓬溪县政府办公室"]]
    assert [units(it.units) for it in items] == [["蓬溪县政府办公室"], ["县级各部门"], ["各乡镇人民政府"]]
    assert [it.deadline.text for it in items] == ["2023年6月底前", "长期坚持", "及时办理"]


# ----------------------------------------------------------------------------- (q), (r)


def test_last_duty_ends_at_the_signature():
    doc = parse_text(SIGNED_AFTER_LAST_DUTY, "lizhou-q.txt")
    assert doc.items[-1].text == "政策文件与解读材料同步发布。"
    assert (doc.issuer, doc.date) == ("广元市利州区人民政府办公室", "2023-03-08")


def test_annex_heading_with_its_title_ends_the_prose_and_assigns_units():
    items = parse_text(ANNEX_WITH_TITLE, "lizhou-r.txt").items
    assert [it.text for it in items] == [
        "公开区政府重大行政决策事项目录。", "区政府常务会议邀请利益相关方列席。", "政策文件与解读材料同步发布。"]
    assert [units(it.units) for it in items] == [["利州区司法局"], ["利州区政府办公室"], ["区级各部门"]]


# ----------------------------------------------------------------------------- (s), (u)


@pytest.mark.parametrize("text", [FLAT_SIGNED, TAB_SIGNED])
def test_signature_after_the_last_row_is_not_a_cell(text):
    doc = parse_text(text, "signed.txt")
    last = doc.items[-1]
    assert last.seq == 3
    assert [u.name for u in last.units] in (["各乡镇人民政府"], ["各镇（街道）"])
    assert last.deadline.text in ("2023年9月底前",)
    assert doc.issuer in ("南江县人民政府办公室", "巴中市巴州区人民政府办公室")
    assert doc.date in ("2023-02-20", "2023-02-01")


def test_title_ending_in_tasks_is_read_as_a_title():
    doc = parse_text(TAB_SIGNED, "bazhou.txt")
    assert (doc.title, doc.metadata_origin.get("title")) == ("巴州区2023年政务公开重点任务", "text:title")


def test_title_broken_over_two_lines():
    doc = parse_text(TWO_LINE_TITLE, "shunqing.txt")
    assert doc.title == "南充市顺庆区2023年政务公开重点工作任务分工方案"
    assert (doc.region_path, doc.level, doc.year) == (["四川省", "南充市", "顺庆区"], "county", 2023)
    assert [u.name for u in doc.items[0].units] == ["顺庆区司法局"]


PREFECTURE = """凉山州2023年政务公开工作要点

一、加强政策解读
1.州政府出台的政策文件同步发布解读材料。（牵头单位：州政府办公室；配合单位：州级各部门）
2.开展政策进村宣讲活动。（牵头单位：州财政局；配合单位：各县（市）人民政府）
3.公开州本级预决算。（牵头单位：州财政局）

凉山州人民政府办公室
2023年4月6日
"""


def test_autonomous_prefecture_by_its_short_name():
    doc = parse_text(PREFECTURE, "liangshan-2023.txt")
    assert (doc.issuer, doc.region, doc.level) == ("凉山州人民政府办公室", "凉山彝族自治州", "city")
    assert doc.region_path == ["四川省", "凉山彝族自治州"]
    assert [u.name for u in doc.items[1].lead_units] == ["凉山彝族自治州财政局"]
    assert [u.original for u in doc.items[1].lead_units] == ["州财政局"]
    assert [(u.name, u.collective) for u in doc.items[0].units] == [("州级各部门", True)]


def test_gbk_portal_page_of_prose_with_a_regionless_issuer(tmp_path):
    path = tmp_path / "shehong-2023.html"
    path.write_bytes(PORTAL_PROSE_GBK.encode("gb18030"))
    doc = parse_file(path)
    assert (doc.doc_no, doc.date, doc.title) == ("射府办函〔2023〕20号", "2023-04-14", "射洪市2023年政务公开工作要点")
    assert (doc.region_path, doc.level) == (["四川省", "遂宁市", "射洪市"], "county")
    assert doc.issuer == "射洪市政府办公室"  # 市政府办公室 written out against the region of the title
    items = doc.items
    assert [it.seq for it in items] == [1, 2, 3]
    assert items[0].text == "做好政策发布。市政府出台的政策文件在政府网站及时发布。"
    assert [(u.name, u.collective) for u in items[0].units] == [("射洪市政府办公室", False), ("市级各部门", True)]
    assert (items[0].deadline.kind, items[1].deadline.date, items[2].deadline.date) == ("ongoing", "2023-06-30", "2023-09-30")
    assert not any(re.search("分享|版权|附件", it.text) for it in items)


def test_table_section_rows_nest():
    items = parse_text(NESTED_SECTION_ROWS, "gaoping-2023.txt").items
    assert [it.seq for it in items] == [1, 2, 3]
    assert [it.section for it in items] == [
        ["深化决策公开", "推进决策公开"], ["深化决策公开", "推进政策解读"], ["推进基层政务公开"]]
    assert [[u.name for u in it.units] for it in items] == [["高坪区司法局"], ["高坪区政府办公室"], ["各镇（街道）"]]


def test_portal_page_copied_as_text():
    doc = parse_text(PORTAL_COPIED_AS_TEXT, "yingshan-2023.txt")
    assert (doc.doc_no, doc.issuer, doc.date) == ("营府办发〔2023〕3号", "营山县人民政府办公室", "2023-03-02")
    assert doc.title == "营山县2023年政务公开工作要点"
    assert [it.text for it in doc.items] == [
        "公开县政府重大行政决策事项目录。", "政策文件与解读材料同步发布。", "更新基层政务公开标准目录。"]
    assert [(u.name, u.collective) for u in doc.items[2].units] == [("各乡镇", True)]


NATIONAL_ROLES = """2023年政务公开工作要点

一、围绕稳经济促发展加强政策发布解读
（一）做好经济政策发布。及时发布稳增长政策措施。（国家发展改革委、财政部等按职责分工负责）
（二）加强政策解读。围绕重大政策做好解读。（国务院办公厅牵头，各地区各部门按职责分工负责）
（三）推进财政信息公开。指导地方做好预决算公开。（财政部负责）

国务院办公厅
2023年4月3日
"""


def test_national_plan_units_are_named_in_full():
    doc = parse_text(NATIONAL_ROLES, "national-2023.txt")
    assert (doc.issuer, doc.level, doc.region, doc.date) == ("国务院办公厅", "national", "全国", "2023-04-03")
    items = doc.items
    assert [u.name for u in items[0].units] == ["国家发展改革委", "财政部"]
    assert [u.name for u in items[1].lead_units] == ["国务院办公厅"]
    assert [(u.name, u.collective) for u in items[1].units] == [("各地区各部门", True)]
    assert [u.name for u in items[2].units] == ["财政部"] and items[2].text == "推进财政信息公开。指导地方做好预决算公开。"


def two_row_header_docx(path: Path) -> None:
    """A Word table whose 责任单位 header spans 牵头单位 | 配合单位 on a second header row."""
    import docx

    d = docx.Document()
    d.add_paragraph("顺庆区2023年政务公开重点任务分工表")
    rows = [
        ["序号", "重点任务", "责任单位", "", "完成时限"],
        ["", "", "牵头单位", "配合单位", ""],
        ["1", "公开区政府重大行政决策事项目录。", "区司法局", "区政府办公室", "2023年6月底前"],
        ["2", "政策文件与解读材料同步发布。", "区政府办公室", "区级各部门", "长期坚持"],
        ["3", "更新基层政务公开标准目录。", "区政府办公室", "各镇（街道）", "2023年9月底前"],
    ]
    table = d.add_table(rows=len(rows), cols=5)
    for tr, row in zip(table.rows, rows):
        for cell, value in zip(tr.cells, row):
            cell.text = value
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    for j in (0, 1, 4):
        table.cell(0, j).merge(table.cell(1, j)).text = rows[0][j]
    d.save(str(path))


def test_two_row_header_names_lead_and_cooperating_columns(tmp_path):
    path = tmp_path / "shunqing-2023.docx"
    two_row_header_docx(path)
    items = parse_file(path).items
    assert [it.seq for it in items] == [1, 2, 3]
    assert [units(it.lead_units) for it in items] == [["顺庆区司法局"], ["顺庆区政府办公室"], ["顺庆区政府办公室"]]
    assert [units(it.units) for it in items] == [["顺庆区政府办公室"], ["区级各部门"], ["各镇（街道）"]]
    assert [it.deadline.text for it in items] == ["2023年6月底前", "长期坚持", "2023年9月底前"]


# ----------------------------------------------------------------------------- every document

FURNITURE = re.compile(
    r"[—–-]\s*\d{1,3}\s*[—–-]|第\s*\d+\s*页|^附\s*件|(?<!见)附件\s*\d|序\s*号|(?:责任|牵头|配合)单位\s*[:：]|完成时限\s*[:：]|"
    r"印发$|抄\s*送[:：]|\n|\t"
)


@pytest.mark.parametrize(
    "name, text",
    [
        ("guangyuan.txt", CITY_PLAN),
        ("cangxi.txt", SPACED_TABLE),
        ("wangcang.txt", COUNTY_THREE_LEVELS),
        ("nanjiang.txt", FLAT_DEADLINE_FIRST),
        ("zigong.txt", ROLES_IN_WORDS),
        ("jiangyang.md", MARKDOWN_TABLE),
        ("jiange.txt", TAB_WITH_REMARKS),
        ("chaotian.txt", SPACED_WITH_GROUPS),
        ("lizhou-k.txt", LABELS_IN_CELLS),
        ("lizhou-l.txt", LABEL_LINES),
        ("lizhou-m.txt", SHORT_LABELS),
        ("zhaohua.txt", SUB_POINTS),
        ("pengxi.txt", FLAT_TWO_UNIT_COLUMNS),
        ("lizhou-q.txt", SIGNED_AFTER_LAST_DUTY),
        ("lizhou-r.txt", ANNEX_WITH_TITLE),
        ("nanjiang-signed.txt", FLAT_SIGNED),
        ("bazhou.txt", TAB_SIGNED),
        ("gaoping.txt", NESTED_SECTION_ROWS),
        ("yingshan.txt", PORTAL_COPIED_AS_TEXT),
        ("national.txt", NATIONAL_ROLES),
    ]
    + [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.*"))],
)
def test_items_are_clean_and_numbered(name, text):
    doc = parse_text(text, name)
    assert [it.seq for it in doc.items] == list(range(1, len(doc.items) + 1))
    for it in doc.items:
        assert it.text and not FURNITURE.search(it.text), (name, it.seq, it.text)
        for u in it.units + it.lead_units:
            assert not FURNITURE.search(u.name) and len(u.name) <= 40, (name, it.seq, u.name)


# ----------------------------------------------------------------------------- flattened: task names that read like deadlines
# A narrow 工作任务 column wraps a task name four characters a line, so a name that opens with
# 持续推进 or 及时公开, or wraps mid-word into 件动态更, puts a deadline phrase where the row has no
# content yet; and a content line can end with 印发 (…名义印发 / 的政策性文件) without being the
# document's 印发 line, which has the date.
FLAT_DEADLINE_WORDS_IN_NAMES = """通江县2022年政务公开工作要点

序号 工作任务 具体措施 责任单位 完成时限

1

持续推进

走好网上

群众路线

推进走好网上群众路线为民服务办实事，扎实高效

解决群众“急难愁盼”问题。

县行政审批局、

各乡镇人民政府

每季度

2

进一步做

好政府规

章、行政

规范性文

件动态更

新

进一步抓好政府规章、行政规范性文件动态更新，

未公开的不得作为行政管理依据。

县司法局、县直

各部门

长期坚持

3

提高政策

解读质量

以县政府或县政府办公室名义印发

的政策性文件，要采取多元化形式解读。

县政府办公室

2022年底

前

4

及时公开

年度工作

计划

第一时间公开本级政府年度工作计划推动完成情况。

县发展改革局

2022年9

月底前

通江县人民政府办公室                2022年5月6日印发
"""


def test_flattened_task_names_with_deadline_words_keep_their_rows():
    doc = parse_text(FLAT_DEADLINE_WORDS_IN_NAMES, "tongjiang-2022.txt")
    items = doc.items
    assert [it.seq for it in items] == [1, 2, 3, 4]
    assert [it.title for it in items] == [
        "持续推进走好网上群众路线", "进一步做好政府规章、行政规范性文件动态更新", "提高政策解读质量", "及时公开年度工作计划"]
    assert items[2].text == "以县政府或县政府办公室名义印发的政策性文件，要采取多元化形式解读。"
    assert [it.deadline.text for it in items] == ["每季度", "长期坚持", "2022年底前", "2022年9月底前"]
    assert [units(it.units) for it in items][1] == ["通江县司法局", "县直各部门"]
    assert doc.date == "2022-05-06"


# A units column seven characters wide: its first line (县文化广电旅游) names no whole agency, and
# the widths of the content column's lines differ by a character or two.
FLAT_NARROW_UNITS = """古蔺县2022年政务公开工作要点

序号 工作任务 具体措施 责任单位 完成时限

1

加大群众

关切回应

加大人民群众关切回应服务结果公开力度，对群众

关心、社会关注的热点问题，要第一时间回应、解

疑释惑。

县文化广电旅游

局、各乡镇人民

政府、县直各部

门

长期坚持

2

推进财政

信息公开

建立完善财政预决算信息公开工作台账，明确公开

内容、时限和责任主体，每季度开展一次自查。

县财政局、县直

各部门

2022年底

前

3

规范政务

新媒体

落实政务新媒体监管责任，健全内容发布审核制

度，杜绝政务新媒体账号瞒报漏报和体外运行。

县委网信办、县

政府办公室

长期坚持
"""


def test_flattened_narrow_units_column_is_not_content():
    items = parse_text(FLAT_NARROW_UNITS, "gulin-2022.txt").items
    assert [it.seq for it in items] == [1, 2, 3]
    assert items[0].text == "加大人民群众关切回应服务结果公开力度，对群众关心、社会关注的热点问题，要第一时间回应、解疑释惑。"
    assert units(items[0].units) == ["古蔺县文化广电旅游局", "各乡镇人民政府", "县直各部门"]
    assert [it.deadline.text for it in items] == ["长期坚持", "2022年底前", "长期坚持"]
