package dev.vigil.spec.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Default value of a scalar field, written as it would be in YAML ("30s", "true", "5514", "64Ki").
 * Used by the binder when the key is absent, and published in the JSON Schema.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
  String value();
}
