/*
 * The chart of one country's (or region's) series on an indicator page, with its disaggregation
 * selectors and its table. No inline script: the data sit in a JSON block made by json_script.
 *
 * Markup:
 *   <div id="chart-controls" hidden> <select data-dimension="sex">…</select> <select data-chart-type> </div>
 *   <div class="chart" data-indicator-chart data-source="chart-data" data-table="indicator-table"
 *        data-controls="chart-controls" data-status="table-status" role="img" aria-label="…"></div>
 *   {{ chart_data|json_script:"chart-data" }}
 *   <table id="indicator-table"> … <tr data-index="0"> … (one row per entry of "rows", same order)
 * chart_data = {
 *   "rows": [{"period": "2019", "year": 2019, "value": 12.3, "label": "12.3",
 *             "keys": {"sex": "F", "__series": "SL_TLF_CHLDEC", "__unit": "PT"}, "lower": null, "upper": null}],
 *   "dimensions": [{"key": "sex", "label": "Sex", "values": {"F": "Female", "M": "Male"}}],
 *   "area": "Kenya", "unit": "PT", "labels": {"total": "Total", "no_data": "…", "value": "Value",
 *   "shown": "{shown} of {total} values shown"}
 * }
 * A selector's value is "" for the total (the row has no such dimension), "*" to compare every
 * value (one line each), or one value. The table shows the rows the chart draws; without
 * JavaScript the controls stay hidden and the table shows every value.
 * When drawn, the chart element gets data-rendered="true" (or "error"), data-series-count and
 * data-selection (the selection as JSON), which the browser tests read.
 */
(function () {
  "use strict";

  var PALETTE = ["#0b5cad", "#d1495b", "#2a9d8f", "#e9a03b", "#6a4c93", "#3d5a80", "#8d6e63", "#00798c"];

  function readSelection(controls) {
    var selection = {};
    if (!controls) { return selection; }
    controls.querySelectorAll("select[data-dimension]").forEach(function (select) {
      selection[select.getAttribute("data-dimension")] = select.value;
    });
    return selection;
  }

  function matches(row, selection) {
    return Object.keys(selection).every(function (key) {
      var wanted = selection[key];
      if (wanted === "*") { return true; }
      var value = row.keys[key] || "";
      return value === wanted;
    });
  }

  function valueLabel(config, key, value) {
    if (!value) { return config.labels.total; }
    for (var i = 0; i < config.dimensions.length; i += 1) {
      var dimension = config.dimensions[i];
      if (dimension.key === key) { return dimension.values[value] || value; }
    }
    return value;
  }

  function lineName(config, row, selection) {
    var compared = Object.keys(selection).filter(function (key) { return selection[key] === "*"; });
    if (!compared.length) { return config.area || config.labels.value; }
    return compared.map(function (key) { return valueLabel(config, key, row.keys[key] || ""); }).join(" · ");
  }

  function buildOption(config, rows, selection, chartType, language) {
    var periods = [];
    var seen = {};
    rows.forEach(function (row) {
      if (!seen[row.period]) { seen[row.period] = true; periods.push(row.period); }
    });
    var lines = {};
    var order = [];
    rows.forEach(function (row) {
      var name = lineName(config, row, selection);
      if (!lines[name]) { lines[name] = {}; order.push(name); }
      lines[name][row.period] = row;
    });
    var numberFormat = new Intl.NumberFormat(language || undefined, { maximumFractionDigits: 3 });
    var series = order.map(function (name) {
      return {
        name: name,
        type: chartType,
        connectNulls: true,
        showSymbol: true,
        barMaxWidth: 48,
        data: periods.map(function (period) {
          var row = lines[name][period];
          return row ? { value: row.value, label_text: row.label, lower: row.lower, upper: row.upper } : null;
        })
      };
    });
    var option = {
      color: PALETTE,
      animation: false,
      grid: { left: 64, right: 24, top: order.length > 1 ? 56 : 24, bottom: 40 },
      tooltip: {
        trigger: "axis",
        formatter: function (params) {
          var lines = [params.length ? params[0].axisValueLabel : ""];
          params.forEach(function (item) {
            var data = item.data;
            if (!data) { return; }
            var text = data.label_text != null ? data.label_text : String(data.value);
            if (data.lower != null && data.upper != null) {
              text += " (" + numberFormat.format(data.lower) + "–" + numberFormat.format(data.upper) + ")";
            }
            lines.push(item.marker + item.seriesName + ": " + text);
          });
          return lines.join("<br>");
        }
      },
      xAxis: { type: "category", data: periods, name: config.labels.year, nameLocation: "middle", nameGap: 28 },
      yAxis: {
        type: "value",
        name: config.unit || "",
        axisLabel: { formatter: function (value) { return numberFormat.format(value); } }
      },
      series: series
    };
    if (order.length > 1) { option.legend = { type: "scroll", top: 0 }; }
    if (!rows.length) {
      option.title = { text: config.labels.no_data, left: "center", top: "middle", textStyle: { fontSize: 14, fontWeight: "normal", color: "#4a5563" } };
    }
    return option;
  }

  function updateTable(table, config, selection) {
    var shown = 0;
    if (table) {
      table.querySelectorAll("tbody tr[data-index]").forEach(function (tr) {
        var row = config.rows[Number(tr.getAttribute("data-index"))];
        var visible = Boolean(row) && matches(row, selection);
        tr.hidden = !visible;
        if (visible) { shown += 1; }
      });
    }
    return shown;
  }

  function render(element) {
    var source = document.getElementById(element.getAttribute("data-source"));
    if (!source) { return; }
    var config = JSON.parse(source.textContent);
    if (typeof echarts === "undefined") {
      element.textContent = element.getAttribute("data-error") || "The chart could not be drawn.";
      element.setAttribute("data-rendered", "error");
      return;
    }
    var controls = document.getElementById(element.getAttribute("data-controls"));
    var table = document.getElementById(element.getAttribute("data-table"));
    var status = document.getElementById(element.getAttribute("data-status"));
    var typeSelect = controls ? controls.querySelector("select[data-chart-type]") : null;
    var language = document.documentElement.getAttribute("lang");
    var periods = {};
    config.rows.forEach(function (row) { periods[row.period] = true; });
    if (typeSelect && Object.keys(periods).length < 3) { typeSelect.value = "bar"; }
    var chart = echarts.init(element, null, { renderer: "svg" });

    function update() {
      var selection = readSelection(controls);
      var rows = config.rows.filter(function (row) { return matches(row, selection); });
      var chartType = typeSelect ? typeSelect.value : "line";
      chart.setOption(buildOption(config, rows, selection, chartType, language), true);
      var shown = updateTable(table, config, selection);
      if (status && config.labels.shown) {
        status.textContent = config.labels.shown
          .replace("{shown}", String(shown))
          .replace("{total}", String(config.rows.length));
      }
      element.setAttribute("data-selection", JSON.stringify(selection));
      element.setAttribute("data-series-count", String(rows.length ? (chart.getOption().series || []).length : 0));
      element.setAttribute("data-rendered", "true");
    }

    if (controls) {
      controls.hidden = false;
      controls.addEventListener("change", update);
    }
    window.addEventListener("resize", function () { chart.resize(); });
    try {
      update();
    } catch (error) {
      element.textContent = element.getAttribute("data-error") || "The chart could not be drawn.";
      element.setAttribute("data-rendered", "error");
      if (window.console) { window.console.error(error); }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-indicator-chart]").forEach(render);
  });
})();
