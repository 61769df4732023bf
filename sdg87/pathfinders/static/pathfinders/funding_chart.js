/*
 * The funding gap over the years (bars) with the planned and secured budgets (lines), in US
 * dollars, with ECharts. No inline script: the data sit in a JSON block made by json_script.
 *   <div class="chart" data-funding-chart data-source="funding-chart-data" role="img"
 *        aria-label="…" data-error="…"></div>
 * chart_data = {"categories": [2023, 2024], "x_name": "…",
 *               "series": [{"name": "…", "kind": "bar" | "line", "data": [1.5, …]}, …]}
 * The chart sits next to a table with the same data. Sets data-rendered="true" when drawn.
 */
(function () {
  "use strict";

  function option(config) {
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 80, right: 20, top: 40, bottom: 40 },
      xAxis: {
        type: "category",
        name: config.x_name || "",
        nameLocation: "middle",
        nameGap: 28,
        data: config.categories.map(String)
      },
      yAxis: { type: "value", name: "USD" },
      series: config.series.map(function (series) {
        return {
          name: series.name,
          type: series.kind === "line" ? "line" : "bar",
          showSymbol: true,
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-funding-chart]").forEach(render);
  });
})();
