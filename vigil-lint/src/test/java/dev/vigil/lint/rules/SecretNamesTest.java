package dev.vigil.lint.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Credential names as the clouds, CI systems and APIs document them for their tools and SDKs, and
 * names that only look like them.
 */
class SecretNamesTest {
  static final List<String> CREDENTIALS =
      List.of(
          // AWS CLI and SDKs
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "AWS_SECURITY_TOKEN",
          // Google Cloud: gcloud, Terraform provider, API keys
          "GOOGLE_CREDENTIALS",
          "GOOGLE_OAUTH_ACCESS_TOKEN",
          "CLOUDSDK_AUTH_ACCESS_TOKEN",
          "GOOGLE_API_KEY",
          // Azure: azure-identity, storage, batch, Terraform azurerm, Azure DevOps CLI
          "AZURE_CLIENT_SECRET",
          "AZURE_CLIENT_CERTIFICATE_PASSWORD",
          "AZURE_STORAGE_KEY",
          "AZURE_STORAGE_ACCESS_KEY",
          "AZURE_STORAGE_CONNECTION_STRING",
          "AZURE_STORAGE_SAS_TOKEN",
          "AZURE_BATCH_KEY",
          "AZURE_BATCH_ACCESS_KEY",
          "ARM_CLIENT_SECRET",
          "ARM_ACCESS_KEY",
          "ARM_SAS_TOKEN",
          "AZURE_DEVOPS_EXT_PAT",
          "APPLICATIONINSIGHTS_CONNECTION_STRING",
          "AZ_BATCH_AUTHENTICATION_TOKEN",
          // Oracle Cloud CLI
          "OCI_CLI_KEY_CONTENT",
          "OCI_CLI_PASSPHRASE",
          // DigitalOcean: doctl, Spaces
          "DIGITALOCEAN_ACCESS_TOKEN",
          "DIGITALOCEAN_TOKEN",
          "SPACES_SECRET_ACCESS_KEY",
          // GitHub, GitLab, CircleCI
          "GITHUB_TOKEN",
          "GH_TOKEN",
          "GH_ENTERPRISE_TOKEN",
          "GITHUB_PAT",
          "GITHUB_APP_PRIVATE_KEY",
          "GITHUB_WEBHOOK_SECRET",
          "GITLAB_TOKEN",
          "GITLAB_PRIVATE_TOKEN",
          "CI_JOB_TOKEN",
          "CI_REGISTRY_PASSWORD",
          "CI_DEPLOY_PASSWORD",
          "CIRCLE_TOKEN",
          "CIRCLECI_CLI_TOKEN",
          // Slack, Stripe, Twilio, SendGrid and other APIs
          "SLACK_BOT_TOKEN",
          "SLACK_APP_TOKEN",
          "SLACK_SIGNING_SECRET",
          "SLACK_WEBHOOK_URL",
          "DISCORD_WEBHOOK_URL",
          "STRIPE_SECRET_KEY",
          "STRIPE_API_KEY",
          "STRIPE_WEBHOOK_SECRET",
          "TWILIO_AUTH_TOKEN",
          "TWILIO_API_SECRET",
          "TWILIO_API_KEY",
          "SENDGRID_API_KEY",
          "DD_API_KEY",
          "DD_APP_KEY",
          "NEW_RELIC_LICENSE_KEY",
          "SENTRY_AUTH_TOKEN",
          "OPSGENIE_API_KEY",
          "CLOUDFLARE_API_TOKEN",
          "HEROKU_API_KEY",
          "NPM_TOKEN",
          "NODE_AUTH_TOKEN",
          "VAULT_TOKEN",
          "CONSUL_HTTP_TOKEN",
          "DOCKER_PASSWORD",
          "OPENAI_API_KEY",
          // databases and brokers, as their images and clients read them
          "PGPASSWORD",
          "POSTGRES_PASSWORD",
          "MYSQL_PWD",
          "MYSQL_ROOT_PASSWORD",
          "MONGO_INITDB_ROOT_PASSWORD",
          "REDIS_PASSWORD",
          "REDISCLI_AUTH",
          "RABBITMQ_DEFAULT_PASS",
          "RABBITMQ_ERLANG_COOKIE",
          "SPRING_DATASOURCE_PASSWORD",
          "MINIO_ROOT_PASSWORD",
          "MINIO_SECRET_KEY",
          "MINIO_ACCESS_KEY",
          "ELASTIC_PASSWORD",
          "NEO4J_AUTH",
          "DOCKER_AUTH_CONFIG",
          "DB_PASS",
          // application secrets
          "GF_SECURITY_ADMIN_PASSWORD",
          "GF_SECURITY_SECRET_KEY",
          "JWT_SECRET",
          "SECRET_KEY_BASE",
          "DJANGO_SECRET_KEY",
          "APP_KEY",
          "ENCRYPTION_KEY",
          "SIGNING_KEY",
          "SSH_PRIVATE_KEY",
          "GPG_PASSPHRASE",
          "KEYSTORE_PASSWORD",
          "LDAP_BIND_PASSWORD",
          "SMTP_PASS",
          "HASH_SALT",
          "TLS_PSK",
          // configuration keys inside files and camelCase keys
          "admin_password",
          "client_secret",
          "secret_access_key",
          "clientSecret",
          "apiKey",
          "bearer_token");

  static final List<String> NOT_CREDENTIALS =
      List.of(
          "KEY_FILE",
          "TLS_KEY_FILE",
          "OCI_CLI_KEY_FILE",
          "SSH_KEY_PATH",
          "PUBLIC_KEY",
          "SSH_PUBLIC_KEY",
          "JWT_PUBLIC_KEY",
          "STRIPE_PUBLISHABLE_KEY",
          "RECAPTCHA_SITE_KEY",
          "AWS_ACCESS_KEY_ID",
          "KMS_KEY_ID",
          "KMS_KEY_ARN",
          "GOOGLE_APPLICATION_CREDENTIALS",
          "AWS_SHARED_CREDENTIALS_FILE",
          "PASSWORD_FILE",
          "GF_SECURITY_ADMIN_PASSWORD__FILE",
          "TOKEN_TTL",
          "TOKEN_URL",
          "TOKEN_PATH",
          "SECRET_NAME",
          "SECRETS_DIR",
          "PWD",
          "OLDPWD",
          "PASSWORD_MIN_LENGTH",
          "KEYCLOAK_URL",
          "MONKEY",
          "API_KEY_HEADER",
          "SORT_KEY",
          "PARTITION_KEY",
          "CACHE_KEY_PREFIX",
          "TOKENIZER_MODEL",
          "PASSWORDLESS_LOGIN",
          "AUTH_URL",
          "OAUTH_ENABLED",
          "AZURE_CLIENT_ID",
          "AZURE_TENANT_ID",
          "DB_HOST",
          "LOG_LEVEL",
          "KEYSTORE_TYPE",
          "SLACK_CHANNEL",
          "password_file",
          "key_file",
          "tokenUrl",
          "access_key_id",
          "KUBECONFIG",
          "key",
          "DATABASE_USER",
          "clientAuth",
          "client_auth",
          "BASIC_AUTH_ENABLED",
          "auth",
          "OCI_CLI_SECURITY_TOKEN_FILE",
          "OCI_CLI_FINGERPRINT",
          "AZ_BATCH_ACCOUNT_URL");

  @Test
  void documentedCredentialNamesAreRecognised() {
    assertThat(CREDENTIALS).allSatisfy(n -> assertThat(SecretNames.secret(n)).as(n).isTrue());
  }

  @Test
  void namesThatPointAtOrDescribeACredentialAreNot() {
    assertThat(NOT_CREDENTIALS).allSatisfy(n -> assertThat(SecretNames.secret(n)).as(n).isFalse());
  }

  @Test
  void wordsSplitAtSeparatorsAndHumps() {
    assertThat(SecretNames.words("GF_SECURITY_ADMIN_PASSWORD__FILE"))
        .containsExactly("GF", "SECURITY", "ADMIN", "PASSWORD", "FILE");
    assertThat(SecretNames.words("clientSecret.value"))
        .containsExactly("CLIENT", "SECRET", "VALUE");
  }
}
