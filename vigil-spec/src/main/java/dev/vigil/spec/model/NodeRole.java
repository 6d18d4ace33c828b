package dev.vigil.spec.model;

public enum NodeRole {
  CONTROL_PLANE,
  WORKER
}
