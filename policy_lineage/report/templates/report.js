/* policy-lineage report: gap filters, search, and the lineage graph of one duty (inline SVG).
   No dependencies and no network: everything the script needs is in #report-data. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var SVGNS = 'http://www.w3.org/2000/svg';

  /* ------------------------------------------------------------------ gap filters */
  var state = { region: '', unit: '', q: '', statuses: {} };
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.gap-row'));
  var blocks = Array.prototype.slice.call(document.querySelectorAll('.gov-block'));
  var counter = document.getElementById('gap-counter');
  var empty = document.getElementById('gap-empty');
  var statusChips = Array.prototype.slice.call(document.querySelectorAll('#filter-status .chip'));
  statusChips.forEach(function (c) { state.statuses[c.dataset.status] = true; });

  function applyFilters() {
    var shown = 0;
    rows.forEach(function (tr) {
      var units = tr.dataset.units ? tr.dataset.units.split('|') : [];
      var ok = (!state.region || tr.dataset.region === state.region) &&
        state.statuses[tr.dataset.status] !== false &&
        (!state.unit || units.indexOf(state.unit) >= 0) &&
        (!state.q || tr.dataset.search.indexOf(state.q) >= 0);
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    blocks.forEach(function (b) { b.hidden = !b.querySelector('tr.gap-row:not([hidden])'); });
    if (counter) counter.textContent = '显示 ' + shown + ' / ' + rows.length + ' 条 · showing ' + shown + ' of ' + rows.length;
    if (empty) empty.hidden = shown > 0 || rows.length === 0;
  }

  document.querySelectorAll('#filter-region .chip').forEach(function (chip) {
    chip.addEventListener('click', function () {
      state.region = chip.dataset.region;
      document.querySelectorAll('#filter-region .chip').forEach(function (c) {
        c.setAttribute('aria-pressed', String(c === chip));
      });
      applyFilters();
    });
  });
  statusChips.forEach(function (chip) {
    chip.addEventListener('click', function () {
      var on = chip.getAttribute('aria-pressed') !== 'true';
      chip.setAttribute('aria-pressed', String(on));
      state.statuses[chip.dataset.status] = on;
      applyFilters();
    });
  });
  var unitSelect = document.getElementById('filter-unit');
  if (unitSelect) unitSelect.addEventListener('change', function () { state.unit = unitSelect.value; applyFilters(); });
  var search = document.getElementById('search');
  if (search) search.addEventListener('input', function () { state.q = search.value.trim().toLowerCase(); applyFilters(); });
  applyFilters();

  /* ------------------------------------------------------------------ lineage graph */
  var items = data.items || {};
  var childrenOf = {};
  (data.edges || []).forEach(function (e) { (childrenOf[e.parent] = childrenOf[e.parent] || []).push(e); });
  var gapsOf = {};
  (data.gaps || []).forEach(function (g) { (gapsOf[g.duty] = gapsOf[g.duty] || []).push(g); });
  var LEVELS = { national: 0, province: 1, city: 2, county: 3 };
  var LEVEL_NAMES = ['国家 National', '省级 Province', '市级 City', '县级 County'];
  var COLORS = {
    root: ['#fdecea', '#a8201a'], item: ['#eef4fb', '#1d4e89'], partial: ['#fff3d6', '#b26a00'],
    gap: ['#fff', '#a8201a'], accepted: ['#f1f3f5', '#6b7280']
  };
  var NODE_W = 250, NODE_H = 56, COL_GAP = 90, ROW_GAP = 14, PAD = 20, HEAD = 34;

  function el(name, attrs, text) {
    var n = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function short(s, n) { s = s || ''; return s.length <= n ? s : s.slice(0, n - 1) + '…'; }
  function info(ref) { return items[ref] || { doc: ref.split('#')[0], seq: ref.split('#')[1], label: '' }; }

  /* Breadth-first from the duty: every item that implements it, their implementers, and a
     dashed node for each government that has a gap (or a partial without a linked item). */
  function trace(root) {
    var nodes = {}, order = [], edges = [], treeKids = {};
    function add(id, node, parent) {
      if (nodes[id]) return false;
      nodes[id] = node; order.push(id); treeKids[id] = [];
      if (parent) treeKids[parent].push(id);
      return true;
    }
    add(root, { id: root, kind: 'root', depth: 0 }, null);
    var queue = [root];
    while (queue.length) {
      var ref = queue.shift();
      (childrenOf[ref] || []).forEach(function (e) {
        if (add(e.child, { id: e.child, kind: 'item', depth: nodes[ref].depth + 1 }, ref)) queue.push(e.child);
        edges.push({ from: ref, to: e.child, edge: e });
      });
      (gapsOf[ref] || []).forEach(function (g) {
        if (g.status === 'partial' && g.best && nodes[g.best]) { nodes[g.best].kind = 'partial'; nodes[g.best].gap = g; return; }
        var id = 'gap:' + ref + '@' + g.region;
        if (add(id, { id: id, kind: g.status === 'accepted' ? 'accepted' : (g.status === 'partial' ? 'partial' : 'gap'), depth: nodes[ref].depth + 1, gap: g }, ref)) {
          edges.push({ from: ref, to: id, gap: g });
        }
      });
    }
    return { nodes: nodes, order: order, edges: edges, treeKids: treeKids };
  }

  function column(node) {
    var level = node.gap && !items[node.id] ? guessLevel(node.gap.region) : info(node.id).level;
    return level in LEVELS ? LEVELS[level] + 10 : node.depth;
  }
  function guessLevel(region) {
    var hit = null;
    Object.keys(items).some(function (k) { if (items[k].region === region && items[k].level) { hit = items[k].level; return true; } return false; });
    return hit;
  }

  function layout(t) {
    var cols = {}, keys;
    t.order.forEach(function (id) { t.nodes[id].col = column(t.nodes[id]); cols[t.nodes[id].col] = true; });
    keys = Object.keys(cols).map(Number).sort(function (a, b) { return a - b; });
    /* a child never left of its parent: fall back to depth if levels disagree with the tree */
    var byLevel = keys.every(function (k) { return k >= 10; });
    if (byLevel) {
      t.order.forEach(function (id) {
        t.treeKids[id].forEach(function (k) { if (t.nodes[k].col <= t.nodes[id].col) byLevel = false; });
      });
    }
    if (!byLevel) {
      cols = {};
      t.order.forEach(function (id) { t.nodes[id].col = t.nodes[id].depth; cols[t.nodes[id].depth] = true; });
      keys = Object.keys(cols).map(Number).sort(function (a, b) { return a - b; });
    }
    var colIndex = {};
    keys.forEach(function (k, i) { colIndex[k] = i; });
    var next = 0;
    function place(id) {
      var n = t.nodes[id], kids = t.treeKids[id];
      n.x = PAD + colIndex[n.col] * (NODE_W + COL_GAP);
      if (!kids.length) { n.y = HEAD + PAD + next * (NODE_H + ROW_GAP); next += 1; return; }
      kids.forEach(place);
      n.y = (t.nodes[kids[0]].y + t.nodes[kids[kids.length - 1]].y) / 2;
    }
    place(t.order[0]);
    return { cols: keys, byLevel: byLevel, rows: Math.max(next, 1) };
  }

  function nodeLines(n) {
    if (n.gap && !items[n.id]) {
      var zh = (data.statusLabels[n.gap.status] || [n.gap.status])[0];
      return [n.gap.region + ' · ' + zh, n.gap.status === 'gap' ? '没有对应条目 no counterpart' : short((n.gap.missing || []).join('；'), 18)];
    }
    var it = info(n.id);
    return [(it.region || '') + ' · ' + (it.label || ('#' + it.seq)), short(it.title || it.text || it.doc, 17)];
  }

  function draw(root) {
    var box = document.getElementById('lineage-graph');
    if (!box) return;
    box.textContent = '';
    if (!root) { box.textContent = '没有可显示的任务 no duty to show'; return; }
    var t = trace(root), L = layout(t);
    var width = PAD * 2 + L.cols.length * NODE_W + (L.cols.length - 1) * COL_GAP;
    var height = HEAD + PAD * 2 + L.rows * (NODE_H + ROW_GAP);
    var svg = el('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, 'font-size': 13 });
    L.cols.forEach(function (c, i) {
      var name = L.byLevel ? LEVEL_NAMES[c - 10] : (i === 0 ? '上级任务 Duty' : '第' + i + '层 Level ' + i);
      svg.appendChild(el('text', { x: PAD + i * (NODE_W + COL_GAP) + NODE_W / 2, y: 22, 'text-anchor': 'middle', fill: '#6b7280', 'font-weight': 600 }, name));
    });
    t.edges.forEach(function (e) {
      var a = t.nodes[e.from], b = t.nodes[e.to];
      var x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2, mx = (x1 + x2) / 2;
      var isGap = !!e.gap;
      var score = e.edge && e.edge.score;
      var path = el('path', {
        d: 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2,
        fill: 'none', stroke: isGap ? '#d9534f' : '#7b93b3',
        'stroke-width': isGap ? 1.5 : 1 + 3 * (score || 0.3), 'stroke-dasharray': isGap ? '5 4' : ''
      });
      path.appendChild(el('title', {}, isGap ? e.gap.region + ' 缺项 gap' : '相似度 score ' + score + (e.edge.evidence ? '\n' + e.edge.evidence : '')));
      svg.appendChild(path);
      if (score !== null && score !== undefined) {
        svg.appendChild(el('text', { x: mx, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle', fill: '#52637a', 'font-size': 11 }, score.toFixed(2)));
      }
    });
    t.order.forEach(function (id) {
      var n = t.nodes[id], c = COLORS[n.kind] || COLORS.item, lines = nodeLines(n);
      var g = el('g', { 'class': 'node ' + n.kind, transform: 'translate(' + n.x + ',' + n.y + ')', tabindex: 0, 'data-ref': id });
      g.appendChild(el('rect', { width: NODE_W, height: NODE_H, rx: 8, fill: c[0], stroke: c[1], 'stroke-dasharray': n.kind === 'gap' || n.kind === 'accepted' ? '6 4' : '' }));
      g.appendChild(el('text', { x: 12, y: 22, fill: c[1], 'font-weight': 700 }, lines[0]));
      g.appendChild(el('text', { x: 12, y: 42, fill: '#1f2328' }, lines[1]));
      g.appendChild(el('title', {}, lines.join('\n')));
      g.addEventListener('click', function () { select(g, n); });
      g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') select(g, n); });
      svg.appendChild(g);
    });
    box.appendChild(svg);
    showDetail(t.nodes[root]);
  }

  function select(g, n) {
    document.querySelectorAll('#lineage-graph .node.selected').forEach(function (x) { x.classList.remove('selected'); });
    g.classList.add('selected');
    showDetail(n);
  }

  function row(dl, k, v) {
    if (v === null || v === undefined || v === '' || (v.length === 0)) return;
    dl.appendChild(Object.assign(document.createElement('dt'), { textContent: k }));
    dl.appendChild(Object.assign(document.createElement('dd'), { textContent: Array.isArray(v) ? v.join('、') : v }));
  }

  function showDetail(n) {
    var box = document.getElementById('node-detail');
    if (!box || !n) return;
    box.textContent = '';
    var dl = document.createElement('dl'), h = document.createElement('h4');
    if (n.gap && !items[n.id]) {
      var zh = (data.statusLabels[n.gap.status] || [n.gap.status])[0];
      h.textContent = n.gap.region + ' · ' + zh + ' ' + n.gap.status;
      row(dl, '本级文件 document', n.gap.doc);
      row(dl, '未承接内容 missing', n.gap.missing);
      row(dl, '责任单位 responsible', n.gap.responsible);
    } else {
      var it = info(n.id);
      h.textContent = (it.region || '') + ' · ' + it.doc + ' ' + (it.label || '');
      row(dl, '标题 title', it.title);
      row(dl, '内容 text', it.text);
      row(dl, '责任单位 units', it.units);
      row(dl, '时限 deadline', it.deadline);
      if (n.gap) row(dl, '未承接内容 missing', n.gap.missing);
    }
    box.appendChild(h);
    box.appendChild(dl);
  }

  var dutySelect = document.getElementById('duty-select');
  if (dutySelect) {
    dutySelect.addEventListener('change', function () { draw(dutySelect.value); });
    draw(dutySelect.value);
  }
  document.querySelectorAll('table.heat tr[data-duty] td.duty').forEach(function (td) {
    td.addEventListener('click', function () {
      if (!dutySelect) return;
      dutySelect.value = td.parentNode.dataset.duty;
      draw(dutySelect.value);
      document.getElementById('lineage').scrollIntoView();
    });
  });
})();
