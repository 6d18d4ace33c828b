/**
 * Grafana dashboards built in code.
 *
 * <p>{@link dev.vigil.render.grafana.dashboard.Dashboard}, {@link
 * dev.vigil.render.grafana.dashboard.Panel} and {@link dev.vigil.render.grafana.dashboard.Target}
 * form a small typed builder: panels of six kinds, queries against the provisioned datasources
 * ({@link dev.vigil.render.grafana.dashboard.Datasources}), thresholds, value mappings, overrides,
 * transformations and template variables. The grid layout, panel ids and query refIds are computed,
 * and the JSON is printed deterministically.
 *
 * <p>To add a dashboard: write one class implementing {@link
 * dev.vigil.render.grafana.dashboard.DashboardDefinition} beside the renderer of the component it
 * belongs to (uid, required components, {@code build}) and list it in that component's declaration
 * ({@code Component.named(...).dashboards(...)}). The catalog tests then check its structure and
 * run every PromQL query through promtool.
 */
package dev.vigil.render.grafana.dashboard;
