package dev.vigil.spec.model;

public enum OsFamily {
  DEBIAN,
  UBUNTU,
  RHEL,
  OTHER
}
