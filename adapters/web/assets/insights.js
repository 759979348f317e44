// Insights: incidents opened per week (stacked by severity) and time to fix
// per severity, over a chosen range. Plain SVG, drawn here; every figure is
// also in a table, so nothing depends on telling colours apart.
'use strict';

(() => {
  const {el} = FF;
  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs = {}, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.flat());
    return node;
  }

  function isoDay(date) { return date.toISOString().slice(0, 10); }

  // Presets are whole weeks (Monday to Sunday, UTC) ending with this week,
  // so every bar covers seven days.
  function applyPreset() {
    const weeks = Number(document.getElementById('preset').value);
    if (!weeks) return;
    const today = new Date(FF.now());
    const sinceMonday = (today.getUTCDay() + 6) % 7;
    const monday = new Date(today.getTime() - sinceMonday * 86400000);
    const from = new Date(monday.getTime() - (weeks - 1) * 7 * 86400000);
    document.getElementById('from').value = isoDay(from);
    document.getElementById('to').value = isoDay(today);
  }

  // A "nice" axis maximum and step for `max` items.
  function axis(max, ticks = 4) {
    if (max <= 0) return {top: ticks, step: 1};
    const raw = max / ticks;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    return {top: Math.ceil(max / step) * step, step: Math.max(1, step)};
  }

  function drawWeekly(weeks) {
    const width = 760, height = 260, left = 36, bottom = 28, top = 10;
    const totals = weeks.map((w) => FF.SEVERITIES.reduce((n, s) => n + w.counts[s], 0));
    const {top: yMax, step} = axis(Math.max(0, ...totals));
    const plotH = height - bottom - top;
    const slot = (width - left) / Math.max(1, weeks.length);
    const barW = Math.max(4, Math.min(36, slot * 0.65));
    const y = (v) => top + plotH - (v / yMax) * plotH;
    const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'Incidents opened per week, stacked by severity'});
    for (let v = 0; v <= yMax; v += step) {
      chart.append(svg('line', {x1: left, x2: width, y1: y(v), y2: y(v), stroke: 'currentColor',
        'stroke-opacity': v === 0 ? 0.35 : 0.12}));
      chart.append(svg('text', {x: left - 6, y: y(v) + 4, 'text-anchor': 'end', text: String(v)}));
    }
    const labelEvery = Math.ceil(weeks.length / 12);
    weeks.forEach((week, i) => {
      const x = left + i * slot + (slot - barW) / 2;
      let base = 0;
      for (const severity of FF.SEVERITIES) {
        const n = week.counts[severity];
        if (n === 0) continue;
        chart.append(svg('rect', {class: `fill-${severity}`, x, width: barW, y: y(base + n),
          height: Math.max(0, y(base) - y(base + n) - 1)},
          svg('title', {text: `Week of ${week.start}: ${n} ${severity.toUpperCase()}`})));
        base += n;
      }
      if (i % labelEvery === 0) {
        chart.append(svg('text', {x: x + barW / 2, y: height - 8, 'text-anchor': 'middle',
          text: week.start.slice(5)}));
      }
    });
    document.getElementById('weekly-chart').replaceChildren(chart);
    document.getElementById('legend').replaceChildren(...FF.SEVERITIES.map((s) => el('li', {},
      el('span', {class: `swatch fill-${s}`, 'aria-hidden': 'true'}),
      `${s.toUpperCase()} ${FF.SEVERITY_TITLES[s].toLowerCase()}`)));

    const table = document.getElementById('weekly-table');
    table.replaceChildren(
      el('thead', {}, el('tr', {}, el('th', {text: 'Week of'}),
        FF.SEVERITIES.map((s) => el('th', {text: s.toUpperCase()})), el('th', {text: 'Total'}))),
      el('tbody', {}, weeks.map((w, i) => el('tr', {}, el('td', {text: w.start}),
        FF.SEVERITIES.map((s) => el('td', {text: String(w.counts[s])})),
        el('td', {text: String(totals[i])})))));
  }

  function drawTimeToFix(rows) {
    const width = 760, rowH = 34, left = 70, right = 90;
    const height = rows.length * rowH + 10;
    const max = Math.max(1, ...rows.map((r) => r.median_seconds || 0));
    const chart = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': 'Median time to fix per severity'});
    rows.forEach((row, i) => {
      const yMid = 5 + i * rowH + rowH / 2;
      chart.append(svg('text', {x: 0, y: yMid + 4, text: row.severity.toUpperCase()}));
      const label = row.median_seconds === null ? 'none fixed'
        : `median ${FF.formatDuration(row.median_seconds * 1000)}`;
      const barW = row.median_seconds === null ? 0
        : Math.max(2, (row.median_seconds / max) * (width - left - right));
      chart.append(svg('rect', {class: `fill-${row.severity}`, x: left, y: yMid - 9, height: 18,
        width: barW, rx: 3}, svg('title', {text: `${row.severity.toUpperCase()}: ${label}`})));
      chart.append(svg('text', {x: left + barW + 8, y: yMid + 4, text: label}));
    });
    document.getElementById('fix-chart').replaceChildren(chart);

    const cell = (s) => el('td', {text: s === null ? '—' : FF.formatDuration(s * 1000)});
    document.getElementById('fix-table').replaceChildren(
      el('thead', {}, el('tr', {}, ['Severity', 'Opened', 'Fixed', 'Median', 'p90', 'Mean', 'Longest']
        .map((h) => el('th', {text: h})))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, FF.severityBadge(r.severity)),
        el('td', {text: String(r.opened)}), el('td', {text: String(r.fixed)}),
        cell(r.median_seconds), cell(r.p90_seconds), cell(r.mean_seconds),
        cell(r.max_seconds)))));
  }

  async function load() {
    const from = document.getElementById('from').value;
    const to = document.getElementById('to').value;
    if (!from || !to) return;
    const {status, body} = await FF.getJson(
      `/api/insights?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    if (status === 400) {
      document.getElementById('weekly-chart').replaceChildren(
        el('p', {class: 'empty', text: body.error}));
      return;
    }
    if (status !== 200) return;
    drawWeekly(body.weeks);
    drawTimeToFix(body.time_to_fix);
  }

  document.getElementById('range').addEventListener('submit', (e) => e.preventDefault());
  document.getElementById('preset').addEventListener('change', () => { applyPreset(); load(); });
  for (const id of ['from', 'to']) {
    document.getElementById(id).addEventListener('change', () => {
      document.getElementById('preset').value = 'custom';
      load();
    });
  }
  applyPreset();
  FF.live(FF.debounce(load, 1000), load);
  load();
})();
