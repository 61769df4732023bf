/*
 * Choropleth world maps with ECharts, shared by every page that shows a map.
 *
 * Markup (no inline script; the data sit in a JSON block made by Django's json_script):
 *   <div class="map" data-choropleth data-geo="{% static 'geo/world.geojson' %}"
 *        data-source="map-data" data-link="/fr/countries/{iso3}/" role="img"
 *        aria-label="…"></div>
 *   {{ map_data|json_script:"map-data" }}
 * map_data = {
 *   "mode": "numeric" | "categorical",
 *   "values": {"FRA": {"value": 12.3, "label": "12,3", "category": "ratified"}, …},
 *   "categories": [{"key": "ratified", "label": "Ratified", "color": "#1a7f37"}, …],  // categorical
 *   "unit": "per 1,000",                                                              // numeric
 *   "missing_label": "No data"
 * }
 * Every map must sit next to a table with the same data for screen readers.
 */
(function () {
  "use strict";

  var geoCache = {};

  function loadGeo(url) {
    if (!geoCache[url]) {
      geoCache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("map outline " + response.status); }
        return response.json();
      });
    }
    return geoCache[url];
  }

  function option(config) {
    var values = config.values || {};
    var data = Object.keys(values).map(function (iso3) {
      var entry = values[iso3];
      return {
        name: iso3,
        value: config.mode === "categorical" ? categoryIndex(config, entry.category) : entry.value,
        label_text: entry.label,
        country: entry.name || iso3
      };
    });
    var visualMap;
    if (config.mode === "categorical") {
      visualMap = {
        type: "piecewise",
        pieces: (config.categories || []).map(function (category, index) {
          return { value: index, label: category.label, color: category.color };
        }),
        left: "left", bottom: 10
      };
    } else {
      var numbers = data.map(function (d) { return d.value; }).filter(function (v) { return typeof v === "number"; });
      var low = numbers.length ? Math.min.apply(null, numbers) : 0;
      var high = numbers.length ? Math.max.apply(null, numbers) : 1;
      // One distinct value: widen the scale so countries with data get the low colour and
      // the rest keep the "no data" grey, instead of one colour for the whole world.
      if (high === low) { high = low + 1; }
      visualMap = {
        type: "continuous",
        min: low,
        max: high,
        text: [config.unit || "", ""],
        inRange: { color: ["#deebf7", "#6baed6", "#08306b"] },
        calculable: true, left: "left", bottom: 10
      };
    }
    return {
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var d = params.data;
          var name = (d && d.country) || params.name;
          return d ? name + ": " + (d.label_text != null ? d.label_text : d.value) : name + ": " + (config.missing_label || "—");
        }
      },
      visualMap: visualMap,
      series: [{
        type: "map",
        map: "world",
        nameProperty: "iso3",
        roam: true,
        emphasis: { label: { show: false } },
        itemStyle: { areaColor: "#e5e7eb", borderColor: "#9ca3af", borderWidth: 0.5 },
        data: data
      }]
    };
  }

  function categoryIndex(config, key) {
    var categories = config.categories || [];
    for (var i = 0; i < categories.length; i += 1) {
      if (categories[i].key === key) { return i; }
    }
    return null;
  }

  function render(element) {
    var source = document.getElementById(element.getAttribute("data-source"));
    if (!source || typeof echarts === "undefined") { return; }
    var config = JSON.parse(source.textContent);
    loadGeo(element.getAttribute("data-geo")).then(function (geo) {
      if (!echarts.getMap("world")) { echarts.registerMap("world", geo); }
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(config));
      var link = element.getAttribute("data-link");
      if (link) {
        chart.on("click", function (params) {
          if (params.name) { window.location.href = link.replace("{iso3}", params.name); }
        });
      }
      window.addEventListener("resize", function () { chart.resize(); });
      element.setAttribute("data-rendered", "true");
    }).catch(function (error) {
      element.textContent = element.getAttribute("data-error") || "The map could not be drawn.";
      element.setAttribute("data-rendered", "error");
      if (window.console) { window.console.error(error); }
    });
  }

  function renderAll(root) {
    (root || document).querySelectorAll("[data-choropleth]").forEach(render);
  }

  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  // Before htmx replaces a map, drop the chart and the inline style ECharts put on its
  // container: htmx copies the old element's attributes onto the new one while settling, and
  // the Content Security Policy refuses a style attribute set that way.
  document.addEventListener("htmx:beforeSwap", function (event) {
    event.detail.target.querySelectorAll("[data-choropleth]").forEach(function (element) {
      var chart = window.echarts && window.echarts.getInstanceByDom(element);
      if (chart) { chart.dispose(); }
      element.removeAttribute("style");
      element.removeAttribute("_echarts_instance_");
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { renderAll(event.target); });
  window.sdg87Choropleth = { renderAll: renderAll };
})();
