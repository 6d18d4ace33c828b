package dev.vigil.spec.bind;

/**
 * A spec record with semantic checks beyond its types. The binder calls {@link #validate} after the
 * record is bound; every error is reported with the file:line:column of the field it names.
 */
public interface Validated {
  void validate(Checks checks);

  /** Collects semantic errors of one record. */
  interface Checks {
    /**
     * Reports an error at a field of this record. {@code field} is a path relative to the record
     * ("port", "listeners[1].port", or "" for the record itself).
     */
    void error(String field, String message);
  }
}
