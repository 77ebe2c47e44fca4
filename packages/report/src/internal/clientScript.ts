/**
 * The report page's own script (plain ES2017, run by the browser, not by Node): reads the chart
 * data from `<script type="application/json" id="report-data">`, draws each chart with uPlot into
 * its `[data-chart]` figure, marks plateau/collapse steps with vertical lines, sets `data-points`
 * (values drawn) and `data-rendered` on each figure, filters the completions tables, and redraws
 * at the new width when the window is resized. It only reads the page: no network, no storage.
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
  var signalColors = { reward_plateau: '#d97706', validation_plateau: '#d97706' };
  function signalColor(kind) { return signalColors[kind] || '#b91c1c'; }
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }
  function fmt(u, v) {
    if (v === null || v === undefined) return '–';
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
    return String(Number(v.toPrecision(4)));
  }
  function markers(signals) {
    return {
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          var left = u.bbox.left, right = u.bbox.left + u.bbox.width, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
          ctx.save();
          ctx.lineWidth = Math.max(1, window.devicePixelRatio || 1) * 1.5;
          ctx.setLineDash([5 * (window.devicePixelRatio || 1), 4 * (window.devicePixelRatio || 1)]);
          for (var i = 0; i < signals.length; i++) {
            var x = Math.round(u.valToPos(signals[i].step, 'x', true));
            if (!(x >= left && x <= right)) continue;
            ctx.strokeStyle = signalColor(signals[i].kind);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, bottom);
            ctx.stroke();
          }
          ctx.restore();
        }]
      }
    };
  }
  function unitRange(u, min, max) {
    return [Math.min(0, min), Math.max(1, max)];
  }
  function options(chart, width) {
    var series = [{ label: 'step', value: function (u, v) { return v === null || v === undefined ? '–' : String(v); } }];
    var hasY2 = false;
    for (var i = 0; i < chart.series.length; i++) {
      var s = chart.series[i];
      var color = palette[s.color % palette.length];
      if (s.y2) hasY2 = true;
      series.push({
        label: s.label,
        stroke: color,
        width: s.style === 'thin' ? 1 : 2,
        dash: s.style === 'dashed' ? [6, 4] : undefined,
        scale: s.y2 ? 'y2' : 'y',
        spanGaps: true,
        points: s.style === 'points' ? { show: true, size: 7, fill: color } : { size: 5 },
        value: fmt
      });
    }
    var axes = [
      { label: 'step' },
      { label: chart.yLabel, scale: 'y', size: 64 }
    ];
    var scales = { x: { time: false }, y: chart.unitRange ? { range: unitRange } : {} };
    if (hasY2) {
      axes.push({ label: chart.y2Label || '', scale: 'y2', side: 1, size: 64, grid: { show: false } });
      scales.y2 = {};
    }
    var bands = [];
    for (var b = 0; b < chart.bands.length; b++) {
      var up = chart.bands[b][0], lo = chart.bands[b][1];
      bands.push({ series: [up + 1, lo + 1], fill: rgba(palette[chart.series[up].color % palette.length], 0.15) });
    }
    return {
      width: width,
      height: 300,
      series: series,
      axes: axes,
      scales: scales,
      bands: bands,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      plugins: [markers(data.signals)]
    };
  }
  var plots = [];
  for (var c = 0; c < data.charts.length; c++) {
    var chart = data.charts[c];
    var figure = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!figure) continue;
    var target = figure.querySelector('.plot');
    var columns = [chart.steps];
    for (var k = 0; k < chart.series.length; k++) columns.push(chart.series[k].values);
    var u = new uPlot(options(chart, Math.max(320, target.clientWidth)), columns, target);
    var drawn = 0;
    for (var j = 1; j < u.data.length; j++) {
      for (var p = 0; p < u.data[j].length; p++) if (u.data[j][p] !== null && isFinite(u.data[j][p])) drawn++;
    }
    figure.setAttribute('data-points', String(drawn));
    figure.setAttribute('data-rendered', 'true');
    plots.push({ plot: u, target: target });
  }
  var timer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      for (var i = 0; i < plots.length; i++) {
        plots[i].plot.setSize({ width: Math.max(320, plots[i].target.clientWidth), height: 300 });
      }
    }, 100);
  });
  var filters = document.querySelectorAll('input[data-filter]');
  for (var f = 0; f < filters.length; f++) {
    filters[f].addEventListener('input', function (ev) {
      var input = ev.target;
      var table = document.getElementById(input.getAttribute('data-filter'));
      var needle = input.value.toLowerCase();
      var rows = table.tBodies[0].rows;
      var shown = 0;
      for (var r = 0; r < rows.length; r++) {
        var hit = needle === '' || rows[r].textContent.toLowerCase().indexOf(needle) >= 0;
        rows[r].hidden = !hit;
        if (hit) shown++;
      }
      table.setAttribute('data-shown', String(shown));
    });
  }
  document.documentElement.setAttribute('data-report-ready', 'true');
})();
`;
