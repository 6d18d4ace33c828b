package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Required;
import java.time.Duration;
import java.util.List;
import java.util.Map;

@Doc(
    "An extra scrape job: static targets, or the /federate endpoint of another cluster's Prometheus.")
public record ScrapeTarget(
    @Doc("Job name.") @Required String name,
    @Doc("host:port targets.") List<String> targets,
    @Doc("Metrics path.") @Default("/metrics") String path,
    @Doc("http or https.") @Default("http") String scheme,
    @Doc("Scrape interval; the global one when unset (never below 15s).") Duration interval,
    @Doc("Labels added to every series of the job.") Map<String, String> labels,
    @Doc("Federation: series selectors for /federate; setting it makes this a federation job.")
        List<String> federate,
    @Doc("Federation: name of the other cluster, written to the `cluster` label.") String cluster,
    @Doc("Skip TLS certificate verification (only for a homelab self-signed peer).")
        @Default("false")
        boolean insecureSkipVerify) {}
