package dev.vigil.spec.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field or type that holds or references a secret. Problems about it never echo the value written
 * there: a password pasted where a secret reference belongs must not end up in a terminal or a CI
 * log. Put it on the secret reference type so every use is covered.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Sensitive {
  /** How a hidden scalar is described in problems. */
  String HIDDEN = "a scalar (not shown, it may be a secret)";
}
