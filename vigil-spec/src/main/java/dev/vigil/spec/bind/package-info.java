/**
 * Strict binding of YAML spec documents to Java records, with located problems, overlays and a
 * generated JSON Schema.
 *
 * <ul>
 *   <li>{@link dev.vigil.spec.bind.Binder}: sources (base, overlays, {@code --set}) to a record, or
 *       to every {@link dev.vigil.spec.bind.Problem} found; its class documentation states the
 *       rules.
 *   <li>{@link dev.vigil.spec.bind.Doc}, {@link dev.vigil.spec.bind.Default}, {@link
 *       dev.vigil.spec.bind.Required}, {@link dev.vigil.spec.bind.Validated}: how a model record
 *       declares its fields and semantic checks.
 *   <li>{@link dev.vigil.spec.bind.JsonSchema}: the model as a draft 2020-12 JSON Schema.
 *   <li>{@link dev.vigil.spec.bind.Sensitive}: fields whose values problems never echo.
 *   <li>{@link dev.vigil.spec.bind.ModelDoc}: the model as a Markdown field reference.
 *   <li>{@link dev.vigil.spec.bind.ModelCheck}: mistakes in a model, for its unit test.
 *   <li>{@link dev.vigil.spec.bind.Names}: "did you mean" suggestions for any module.
 * </ul>
 */
package dev.vigil.spec.bind;
