/*
 * Line and stacked-bar charts of ratifications with ECharts (instrument pages and the timeline).
 *
 * Markup (no inline script; the data sit in a JSON block made by Django's json_script):
 *   <div class="chart" data-parties-chart data-source="parties-chart-data" role="img"
 *        aria-label="…" data-error="…"></div>
 *   {{ chart_data|json_script:"parties-chart-data" }}
 * chart_data = {"kind": "line" | "bar", "stacked": false, "categories": [1930, 1931, …],
 *               "series": [{"name": "Parties", "data": [1, 3, …]}], "x_name": "Year", "y_name": "…"}
 * Every chart sits next to a table with the same data. Sets data-rendered="true" when drawn.
 */
(function () {
  "use strict";

  function option(config) {
    var bar = config.kind === "bar";
    return {
      tooltip: { trigger: "axis" },
      legend: config.series.length > 1 ? { type: "scroll", top: 0 } : undefined,
      grid: { left: 50, right: 20, top: config.series.length > 1 ? 40 : 20, bottom: 40 },
      xAxis: {
        type: "category",
        name: config.x_name || "",
        nameLocation: "middle",
        nameGap: 28,
        data: config.categories.map(String)
      },
      yAxis: { type: "value", name: config.y_name || "", minInterval: 1 },
      series: config.series.map(function (series) {
        return {
          name: series.name,
          type: bar ? "bar" : "line",
          stack: bar && config.stacked ? "total" : undefined,
          step: bar ? undefined : "end",
          showSymbol: false,
          data: series.data
        };
      })
    };
  }

  function render(element) {
    var source = document.getElementById(element.getAttribute("data-source"));
    if (!source) { return; }
    try {
      if (typeof echarts === "undefined") { throw new Error("ECharts is not loaded"); }
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(JSON.parse(source.textContent)));
      window.addEventListener("resize", function () { chart.resize(); });
      element.setAttribute("data-rendered", "true");
    } catch (error) {
      element.textContent = element.getAttribute("data-error") || "The chart could not be drawn.";
      element.setAttribute("data-rendered", "error");
      if (window.console) { window.console.error(error); }
    }
  }

  function renderAll(root) {
    (root || document).querySelectorAll("[data-parties-chart]").forEach(render);
  }

  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  window.sdg87PartiesChart = { renderAll: renderAll };
})();
