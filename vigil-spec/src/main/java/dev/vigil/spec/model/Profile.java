package dev.vigil.spec.model;

/** Deployment profile: sets exposure, replicas and login defaults. */
public enum Profile {
  HOMELAB,
  PRODUCTION
}
