/**
 * The report page's own script, inlined after uPlot. It reads the chart specifications (see
 * charts.ts) from the JSON block `#unroll-data`, draws each with uPlot, keeps the charts as wide as
 * the page (down to a phone's width), and publishes `window.__unrollCharts` (id, size, drawn, points per series) for tests.
 *
 * It is plain browser JavaScript kept in a string, so that no build step or bundler touches it, except
 * the two number formats of ticks.ts, which it inlines from their compiled source (so the tested
 * functions are the ones that run); it never uses innerHTML (all text goes through textContent).
 */
import { axisTickLabels, formatLegendValue } from './ticks.js';

export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('unroll-data').textContent);
  var registry = [];
  window.__unrollCharts = registry;

  // The number formats (ticks.ts, unit-tested there), inlined from their compiled source.
  var fmt = (${formatLegendValue.toString()});
  var tickLabels = (${axisTickLabels.toString()});

  function seriesOptions(s) {
    var o = { label: s.label, stroke: s.color, width: s.width, spanGaps: false, value: function (u, v) { return fmt(v); } };
    if (s.dash) o.dash = s.dash;
    if (s.style === 'bars') {
      o.paths = uPlot.paths.bars({ size: [0.7, 48] });
      o.fill = s.color;
      o.points = { show: false };
    } else if (s.style === 'line+points') {
      o.points = { show: true, size: 5, fill: s.color };
    } else {
      o.points = { show: false };
    }
    return o;
  }

  function shadeHook(shade) {
    return function (u) {
      var x0 = u.valToPos(shade.from, 'x', true);
      var x1 = u.valToPos(shade.to, 'x', true);
      var left = Math.max(u.bbox.left, Math.min(x0, x1));
      var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
      if (right <= left) return;
      u.ctx.save();
      u.ctx.fillStyle = shade.fill;
      u.ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
      u.ctx.restore();
    };
  }

  function options(spec, width, entry) {
    var isTime = spec.xKind === 'time';
    // Times that are not all midnights (hourly data) show their hour in the cursor's legend.
    var subDaily = isTime && spec.x.some(function (t) { return t % 86400 !== 0; });
    var hasBars = spec.series.some(function (s) { return s.style === 'bars'; });
    var xScale = { time: isTime };
    if (hasBars) xScale.range = function (u, min, max) { return [min - 0.5, max + 0.5]; };
    var o = {
      width: width,
      height: spec.height,
      scales: { x: xScale, y: spec.logY ? { distr: 3, log: 10 } : { auto: true } },
      series: [{ label: spec.xLabel, value: isTime ? (subDaily ? '{YYYY}-{MM}-{DD} {HH}:{mm}' : '{YYYY}-{MM}-{DD}') : function (u, v) { return v == null ? '–' : String(v); } }]
        .concat(spec.series.map(seriesOptions)),
      bands: spec.bands.map(function (b) { return { series: [b.upper + 1, b.lower + 1], fill: b.fill }; }),
      axes: [
        { label: spec.xLabel, incrs: isTime ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        { label: spec.yLabel, size: 72, values: function (u, splits) { return tickLabels(splits); } }
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: { draw: [function () { entry.draws++; }] }
    };
    if (isTime) o.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
    if (spec.shade) o.hooks.drawClear = [shadeHook(spec.shade)];
    return o;
  }

  payload.charts.forEach(function (spec) {
    var box = document.getElementById('chart-' + spec.id);
    var entry = {
      id: spec.id, title: spec.title, width: 0, height: 0, draws: 0, error: null,
      series: spec.series.map(function (s) {
        return { label: s.label, points: s.values.filter(function (v) { return v != null && isFinite(v); }).length };
      })
    };
    registry.push(entry);
    try {
      var width = Math.max(200, box.clientWidth);
      var data = [spec.x].concat(spec.series.map(function (s) { return s.values; }));
      var plot = new uPlot(options(spec, width, entry), data, box);
      entry.width = plot.width;
      entry.height = plot.height;
      window.addEventListener('resize', function () {
        var w = Math.max(200, box.clientWidth);
        if (w !== plot.width) { plot.setSize({ width: w, height: spec.height }); entry.width = plot.width; }
      });
    } catch (err) {
      entry.error = String(err && err.message || err);
      var p = document.createElement('p');
      p.className = 'chart-error';
      p.textContent = 'This chart could not be drawn: ' + entry.error;
      box.appendChild(p);
      console.error('unroll report: chart ' + spec.id + ' failed:', err);
    }
  });
})();
`;
