package io.firstvisit.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/**
 * Renders every overlay in k8s/overlays (and the component combinations in {@link #COMBINATIONS})
 * with {@code kubectl kustomize} and checks what would reach the cluster:
 * <ul>
 * <li>every object of a kind the fabric8 model knows parses into its model class with unknown
 * fields and type coercions refused, which is what the API server would refuse; the two custom
 * resources (KEDA's ScaledObject, the Prometheus Operator's ServiceMonitor) are checked field by
 * field instead;</li>
 * <li>the API Deployment agrees with the application: ports, probe and metrics paths and the
 * shutdown timeout as src/main/resources/application.properties sets them for the prod profile
 * (Quarkus defaults where it is silent), every setting the application reads is provided;</li>
 * <li>health and metrics are reached on the management interface's port, and the NetworkPolicy
 * lets only Prometheus reach that port, while the ingress controller reaches only the API's;</li>
 * <li>the pre-scaling for the daily release raises capacity before it and lowers it after.</li>
 * </ul>
 * Plain JUnit, no Quarkus boot, so it runs while the service code does not compile. Needs
 * {@code kubectl} (1.27 or later; no cluster) on the PATH or given as {@code -Dkubectl=...}.
 */
class KubernetesManifestsTest {

    private static final String API = "firstvisit";
    private static final String RELEASE_ZONE = "Asia/Shanghai";
    /** The daily slot release the pre-scaling is for (docs/operations.md). */
    private static final LocalTime RELEASE = LocalTime.of(8, 0);

    /** Overlays plus components that operators may combine; each is rendered like an overlay. */
    private static final Map<String, Combination> COMBINATIONS = Map.of(
            "prod-cron+hpa-booking-rate",
            new Combination("overlays/prod-cron", List.of("components/hpa-booking-rate")));

    /** Everything the application reads from its environment (the fixed deployment contract). */
    private static final Set<String> APPLICATION_SETTINGS = Set.of(
            "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
            "REDIS_HOSTS", "REDIS_CLIENT_TYPE", "JWT_ISSUER", "JWT_PUBLIC_KEY_LOCATION", "FIRSTVISIT_PAYMENT_SECRET");
    /** Of those, the ones that must come from a Secret. */
    private static final Set<String> SECRET_SETTINGS = Set.of("DB_USER", "DB_PASSWORD", "REDIS_HOSTS", "FIRSTVISIT_PAYMENT_SECRET");

    private static final Map<String, ModelType> MODEL_TYPES = Map.ofEntries(
            model("v1", "ConfigMap", "io.fabric8.kubernetes.api.model.ConfigMap", "kubernetes-model-core"),
            model("v1", "Secret", "io.fabric8.kubernetes.api.model.Secret", "kubernetes-model-core"),
            model("v1", "Service", "io.fabric8.kubernetes.api.model.Service", "kubernetes-model-core"),
            model("v1", "ServiceAccount", "io.fabric8.kubernetes.api.model.ServiceAccount", "kubernetes-model-core"),
            model("v1", "Namespace", "io.fabric8.kubernetes.api.model.Namespace", "kubernetes-model-core"),
            model("apps/v1", "Deployment", "io.fabric8.kubernetes.api.model.apps.Deployment", "kubernetes-model-apps"),
            model("apps/v1", "StatefulSet", "io.fabric8.kubernetes.api.model.apps.StatefulSet", "kubernetes-model-apps"),
            model("autoscaling/v2", "HorizontalPodAutoscaler",
                    "io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler", "kubernetes-model-autoscaling"),
            model("policy/v1", "PodDisruptionBudget",
                    "io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget", "kubernetes-model-policy"),
            model("networking.k8s.io/v1", "NetworkPolicy",
                    "io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy", "kubernetes-model-networking"),
            model("batch/v1", "CronJob", "io.fabric8.kubernetes.api.model.batch.v1.CronJob", "kubernetes-model-batch"),
            model("rbac.authorization.k8s.io/v1", "Role", "io.fabric8.kubernetes.api.model.rbac.Role", "kubernetes-model-rbac"),
            model("rbac.authorization.k8s.io/v1", "RoleBinding",
                    "io.fabric8.kubernetes.api.model.rbac.RoleBinding", "kubernetes-model-rbac"));

    private static final String SCALED_OBJECT = "keda.sh/v1alpha1/ScaledObject";
    private static final String PROMETHEUS_RULE = "monitoring.coreos.com/v1/PrometheusRule";
    private static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";

    /** Reads kustomize's output as trees; no typing yet. */
    private static final ObjectMapper YAML = new YAMLMapper();
    /** Types trees into fabric8 model classes, refusing what the API server would refuse. */
    private static final ObjectMapper STRICT = strictMapper();

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path K8S = ROOT.resolve("k8s");
    private static final Map<String, Rendering> RENDERED = new ConcurrentHashMap<>();

    /** Surefire's summary shows no parameters, so a failure names its rendering in the message. */
    @RegisterExtension
    static final TestExecutionExceptionHandler NAME_THE_RENDERING = (context, thrown) -> {
        boolean perRendering = context.getTestMethod().map(m -> m.isAnnotationPresent(ParameterizedTest.class)).orElse(false);
        if (perRendering && thrown instanceof AssertionError) {
            AssertionError named = new AssertionError(context.getDisplayName() + ": " + thrown.getMessage(), thrown.getCause());
            named.setStackTrace(thrown.getStackTrace());
            throw named;
        }
        throw thrown;
    };

    // ---------------------------------------------------------------------------------------
    // The checks, each run once per rendering.

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectMatchesItsSchema(Rendering rendering) {
        List<String> problems = new ArrayList<>();
        for (JsonNode object : rendering.objects()) {
            String type = typeOf(object);
            String where = type + " " + object.path("metadata").path("name").asText("<unnamed>");
            try {
                if (MODEL_TYPES.containsKey(type)) {
                    STRICT.treeToValue(object, MODEL_TYPES.get(type).load());
                } else if (type.equals(SCALED_OBJECT)) {
                    checkScaledObjectShape(object);
                } else if (type.equals(SERVICE_MONITOR)) {
                    checkServiceMonitorShape(object);
                } else if (type.equals(PROMETHEUS_RULE)) {
                    checkPrometheusRuleShape(object);
                } else {
                    problems.add(where + ": no schema to check it against; add its fabric8 model to MODEL_TYPES "
                            + "(and the artifact to the pom) or a field-by-field check like the CRDs have");
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                String message = Optional.ofNullable(e.getMessage()).orElse(e.toString());
                problems.add(where + ": " + message.lines().findFirst().orElse("").replaceFirst(" ==> expected: .*$", ""));
            }
        }
        assertTrue(problems.isEmpty(), "\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void apiPodsMatchTheApplicationConfiguration(Rendering rendering) {
        Deployment deployment = rendering.typed("Deployment", API, Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container app = apiContainer(pod);
        AppSettings settings = AppSettings.read(applicationProperties(), rendering.environmentOf(app));

        int port = settings.httpPort();
        assertEquals(port, portNamed(app, "http"),
                "container port `http` must be quarkus.http.port (" + port + ")");
        if (settings.managementEnabled()) {
            assertEquals(settings.managementPort(), portNamed(app, "management"),
                    "container port `management` must be quarkus.management.port (" + settings.managementPort() + ")");
        }
        int health = settings.healthPort();
        assertProbe(app, app.getStartupProbe(), "startupProbe", settings.startupPath(), health);
        assertProbe(app, app.getReadinessProbe(), "readinessProbe", settings.readinessPath(), health);
        assertProbe(app, app.getLivenessProbe(), "livenessProbe", settings.livenessPath(), health);

        long preStop = preStopSeconds(app);
        long shutdown = settings.shutdownTimeout().toSeconds();
        Long grace = pod.getTerminationGracePeriodSeconds();
        assertNotNull(grace, "terminationGracePeriodSeconds must be set");
        assertTrue(preStop > 0, "the API needs a preStop pause so endpoint removal propagates before shutdown");
        assertTrue(grace > preStop + shutdown,
                "terminationGracePeriodSeconds (" + grace + ") must exceed the preStop pause (" + preStop
                        + " s) plus quarkus.shutdown.timeout (" + shutdown + " s), or in-flight bookings are killed");

        assertNull(deployment.getSpec().getReplicas(),
                "spec.replicas must be absent: the autoscaler owns the count and an apply would reset it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void apiPodsGetEverySettingTheApplicationReads(Rendering rendering) {
        PodSpec pod = rendering.typed("Deployment", API, Deployment.class).getSpec().getTemplate().getSpec();
        Container app = apiContainer(pod);
        Map<String, EnvValue> env = rendering.environmentOf(app);

        List<String> missing = APPLICATION_SETTINGS.stream().filter(k -> !env.containsKey(k)).sorted().toList();
        assertTrue(missing.isEmpty(), "settings the application reads but the pod does not get: " + missing);
        for (String key : SECRET_SETTINGS) {
            assertTrue(env.get(key).fromSecret(), key + " must come from a Secret, not " + env.get(key).origin());
        }
        assertTrue(Set.of("standalone", "cluster").contains(env.get("REDIS_CLIENT_TYPE").value()),
                "REDIS_CLIENT_TYPE must be standalone or cluster");

        // The key file the application is told to read must be what the ConfigMap mounts there.
        Path keyFile = Path.of(env.get("JWT_PUBLIC_KEY_LOCATION").value().replaceFirst("^file:", ""));
        VolumeMount mount = app.getVolumeMounts().stream()
                .filter(m -> keyFile.getParent().equals(Path.of(m.getMountPath())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + keyFile.getParent()));
        Volume volume = volumeNamed(pod, mount.getName());
        assertNotNull(volume.getConfigMap(), "the JWT key must be mounted from a ConfigMap");
        String dataKey = volume.getConfigMap().getItems() == null || volume.getConfigMap().getItems().isEmpty()
                ? keyFile.getFileName().toString()
                : volume.getConfigMap().getItems().stream()
                        .filter(i -> i.getPath().equals(keyFile.getFileName().toString()))
                        .findFirst().orElseThrow(() -> new AssertionError("no item maps to " + keyFile)).getKey();
        ConfigMap keyMap = rendering.typed("ConfigMap", volume.getConfigMap().getName(), ConfigMap.class);
        String pem = keyMap.getData().get(dataKey);
        assertNotNull(pem, "ConfigMap " + keyMap.getMetadata().getName() + " has no " + dataKey);

        // Development trusts the key bin/dev-token signs with; nothing else may.
        String devKey = read(ROOT.resolve("src/main/resources/dev-keys/public.pem"));
        if (rendering.name().equals("dev")) {
            assertEquals(devKey.strip(), pem.strip(),
                    "k8s/overlays/dev/public.pem must be a copy of src/main/resources/dev-keys/public.pem");
        } else {
            assertNotEquals(devKey.strip(), pem.strip(), "only the dev overlay may trust the development key");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyContainerRunsNonRootOnAReadOnlyFilesystemWithResources(Rendering rendering) {
        List<String> problems = new ArrayList<>();
        rendering.podTemplates().forEach((owner, template) -> {
            PodSpec pod = template.getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            for (Container c : pod.getContainers()) {
                String where = owner + "/" + c.getName() + ": ";
                SecurityContext sc = c.getSecurityContext();
                boolean nonRoot = sc != null && Boolean.TRUE.equals(sc.getRunAsNonRoot())
                        || podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot());
                if (!nonRoot) {
                    problems.add(where + "runAsNonRoot is not true");
                }
                if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    problems.add(where + "readOnlyRootFilesystem is not true");
                }
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    problems.add(where + "allowPrivilegeEscalation is not false");
                }
                if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                        || !sc.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + "capabilities do not drop ALL");
                }
                if (c.getVolumeMounts() == null
                        || c.getVolumeMounts().stream().noneMatch(m -> m.getMountPath().equals("/tmp")
                                && volumeNamed(pod, m.getName()).getEmptyDir() != null)) {
                    problems.add(where + "no emptyDir at /tmp, the one place a read-only container may write");
                }
                Map<String, Quantity> requests = c.getResources() == null ? Map.of() : c.getResources().getRequests();
                Map<String, Quantity> limits = c.getResources() == null ? Map.of() : c.getResources().getLimits();
                for (String resource : List.of("cpu", "memory")) {
                    if (requests == null || !requests.containsKey(resource)) {
                        problems.add(where + "no " + resource + " request");
                    }
                }
                if (limits == null || !limits.containsKey("memory")) {
                    problems.add(where + "no memory limit");
                } else if (requests != null && requests.containsKey("memory")
                        && limits.get("memory").getNumericalAmount().compareTo(requests.get("memory").getNumericalAmount()) < 0) {
                    problems.add(where + "memory limit below its request");
                }
            }
        });
        assertTrue(problems.isEmpty(), "\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyReferencedConfigMapSecretAndServiceAccountExists(Rendering rendering) {
        List<String> problems = new ArrayList<>();
        rendering.podTemplates().forEach((owner, template) -> {
            PodSpec pod = template.getSpec();
            String account = pod.getServiceAccountName();
            if (account != null && !account.equals("default") && rendering.find("ServiceAccount", account).isEmpty()) {
                problems.add(owner + ": ServiceAccount " + account);
            }
            for (Volume v : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
                if (v.getConfigMap() != null && rendering.find("ConfigMap", v.getConfigMap().getName()).isEmpty()) {
                    problems.add(owner + ": volume " + v.getName() + " -> ConfigMap " + v.getConfigMap().getName());
                }
                if (v.getSecret() != null && rendering.find("Secret", v.getSecret().getSecretName()).isEmpty()) {
                    problems.add(owner + ": volume " + v.getName() + " -> Secret " + v.getSecret().getSecretName());
                }
            }
            for (Container c : pod.getContainers()) {
                try {
                    rendering.environmentOf(c);
                } catch (AssertionError e) {
                    problems.add(owner + "/" + c.getName() + ": " + e.getMessage());
                }
            }
        });
        assertTrue(problems.isEmpty(), "missing\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void everyObjectIsInTheOverlaysNamespace(Rendering rendering) {
        Set<String> namespaces = rendering.objects().stream()
                .filter(o -> !o.path("kind").asText().equals("Namespace"))
                .map(o -> o.path("metadata").path("namespace").asText(""))
                .collect(Collectors.toSet());
        assertEquals(1, namespaces.size(), "objects spread over namespaces " + namespaces);
        assertFalse(namespaces.contains(""), "some objects have no namespace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void serviceReachesTheApiPods(Rendering rendering) {
        Deployment deployment = rendering.typed("Deployment", API, Deployment.class);
        Container app = apiContainer(deployment.getSpec().getTemplate().getSpec());
        Service service = rendering.typed("Service", API, Service.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "Service selector " + service.getSpec().getSelector() + " does not select the API pods " + podLabels);
        ServicePort http = service.getSpec().getPorts().stream()
                .filter(p -> "http".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("Service has no port named http"));
        assertEquals(portNamed(app, "http"), resolvePort(app, http.getTargetPort()),
                "Service port http must reach the container's http port");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void serviceMonitorScrapesTheMetricsEndpoint(Rendering rendering) {
        List<JsonNode> monitors = rendering.all("ServiceMonitor");
        if (!rendering.name().startsWith("prod")) {
            return; // optional outside production (dev drops it: most dev clusters lack the CRD)
        }
        assertEquals(1, monitors.size(), "production renders exactly one ServiceMonitor");
        JsonNode monitor = monitors.get(0);
        Deployment deployment = rendering.typed("Deployment", API, Deployment.class);
        Container app = apiContainer(deployment.getSpec().getTemplate().getSpec());
        AppSettings settings = AppSettings.read(applicationProperties(), rendering.environmentOf(app));
        Service service = rendering.typed("Service", API, Service.class);

        Map<String, String> selector = YAML.convertValue(monitor.path("spec").path("selector").path("matchLabels"),
                YAML.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertTrue(service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()),
                "ServiceMonitor selector " + selector + " does not select Service " + API);
        for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
            assertEquals(settings.metricsPath(), endpoint.path("path").asText(),
                    "ServiceMonitor path must be the Prometheus endpoint (quarkus.micrometer.export.prometheus.path)");
            ServicePort port = service.getSpec().getPorts().stream()
                    .filter(p -> endpoint.path("port").asText().equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("ServiceMonitor port " + endpoint.path("port") + " is no Service port"));
            assertEquals(settings.healthPort(), resolvePort(app, port.getTargetPort()),
                    "ServiceMonitor must scrape the port that serves " + settings.metricsPath()
                            + (settings.managementEnabled() ? " (the management interface)" : ""));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void onlyPrometheusReachesTheManagementPort(Rendering rendering) {
        Deployment deployment = rendering.typed("Deployment", API, Deployment.class);
        Container app = apiContainer(deployment.getSpec().getTemplate().getSpec());
        AppSettings settings = AppSettings.read(applicationProperties(), rendering.environmentOf(app));
        NetworkPolicy policy = rendering.typed("NetworkPolicy", API, NetworkPolicy.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet()),
                "NetworkPolicy " + API + " does not select the API pods");
        assertTrue(policy.getSpec().getPolicyTypes().contains("Ingress"), "NetworkPolicy " + API + " must restrict ingress");

        Set<Integer> fromIngressController = new TreeSet<>();
        Set<Integer> fromMonitoring = new TreeSet<>();
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
            List<NetworkPolicyPeer> peers = Optional.ofNullable(rule.getFrom()).orElse(List.of());
            List<NetworkPolicyPort> ports = Optional.ofNullable(rule.getPorts()).orElse(List.of());
            assertFalse(peers.isEmpty(), "an ingress rule without `from` admits every source");
            assertFalse(ports.isEmpty(), "an ingress rule without `ports` opens every port, the management one too");
            for (NetworkPolicyPeer peer : peers) {
                String namespace = peer.getNamespaceSelector() == null ? ""
                        : Optional.ofNullable(peer.getNamespaceSelector().getMatchLabels()).orElse(Map.of())
                                .getOrDefault("kubernetes.io/metadata.name", "");
                Set<Integer> admitted = namespace.equals("monitoring") ? fromMonitoring
                        : namespace.equals("ingress-nginx") ? fromIngressController : null;
                assertNotNull(admitted, "unexpected source in NetworkPolicy " + API + ": " + peer);
                ports.forEach(p -> admitted.add(resolvePort(app, p.getPort())));
            }
        }
        assertEquals(Set.of(settings.httpPort()), fromIngressController, "the ingress controller reaches the API port alone");
        assertTrue(fromMonitoring.contains(settings.healthPort()), "Prometheus must reach the port that serves "
                + settings.metricsPath());
        if (settings.managementEnabled()) {
            assertEquals(Set.of(settings.managementPort()), fromMonitoring, "Prometheus needs the management port alone");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void exactlyOneAutoscalerOwnsTheApi(Rendering rendering) {
        List<HorizontalPodAutoscaler> hpas = rendering.all("HorizontalPodAutoscaler").stream()
                .map(o -> typed(o, HorizontalPodAutoscaler.class))
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(API))
                .toList();
        List<JsonNode> scaledObjects = rendering.all("ScaledObject").stream()
                .filter(o -> o.path("spec").path("scaleTargetRef").path("name").asText().equals(API))
                .toList();
        assertEquals(1, hpas.size() + scaledObjects.size(),
                "the API needs exactly one autoscaler (an HPA or a KEDA ScaledObject); two fight over the replica count");

        for (HorizontalPodAutoscaler hpa : hpas) {
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
            assertTrue(hpa.getSpec().getMinReplicas() >= 1 && hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas(),
                    "HPA needs 1 <= minReplicas <= maxReplicas");
            assertTrue(hpa.getSpec().getMetrics().stream().anyMatch(m -> "Resource".equals(m.getType())
                    && "cpu".equals(m.getResource().getName())
                    && "Utilization".equals(m.getResource().getTarget().getType())),
                    "HPA must scale on CPU utilization");
        }
        for (JsonNode so : scaledObjects) {
            assertTrue(stream(so.path("spec").path("triggers")).anyMatch(t -> t.path("type").asText().equals("cpu")),
                    "the ScaledObject must keep a CPU trigger for the hours outside the release window");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void preScalingRaisesCapacityBeforeTheReleaseAndLowersItAfter(Rendering rendering) {
        List<CronJob> prescalers = rendering.all("CronJob").stream()
                .map(o -> typed(o, CronJob.class))
                .filter(KubernetesManifestsTest::patchesAnHpa)
                .toList();
        List<JsonNode> cronTriggers = rendering.all("ScaledObject").stream()
                .flatMap(so -> stream(so.path("spec").path("triggers")))
                .filter(t -> t.path("type").asText().equals("cron"))
                .toList();
        assertFalse(!prescalers.isEmpty() && !cronTriggers.isEmpty(),
                "use one pre-scaler: the cron-prescale CronJobs and KEDA's cron trigger would both move the floor");
        if (rendering.name().startsWith("prod-")) {
            assertFalse(prescalers.isEmpty() && cronTriggers.isEmpty(),
                    "a deployable production overlay without pre-scaling for the release");
        }
        if (!prescalers.isEmpty()) {
            checkCronPrescalers(rendering, prescalers);
        }
        for (JsonNode trigger : cronTriggers) {
            JsonNode so = rendering.all("ScaledObject").get(0);
            JsonNode meta = trigger.path("metadata");
            assertEquals(RELEASE_ZONE, meta.path("timezone").asText());
            assertTrue(dailyAt(meta.path("start").asText()).isBefore(RELEASE), "cron trigger must start before " + RELEASE);
            assertTrue(dailyAt(meta.path("end").asText()).isAfter(RELEASE), "cron trigger must end after " + RELEASE);
            int desired = Integer.parseInt(meta.path("desiredReplicas").asText());
            assertTrue(desired > so.path("spec").path("minReplicaCount").asInt()
                    && desired <= so.path("spec").path("maxReplicaCount").asInt(),
                    "desiredReplicas must lie above minReplicaCount and within maxReplicaCount");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Checks of the checker itself.

    @Test
    void everyOverlayIsRendered() {
        List<String> names = renderings().map(Rendering::name).toList();
        assertTrue(names.containsAll(List.of("dev", "prod", "prod-cron", "prod-keda")), "rendered: " + names);
    }

    @Test
    void strictMappingRefusesWhatTheApiServerRefuses() throws IOException {
        String misspelled = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          livenesProbe: {httpGet: {path: /q/health/live, port: 8080}}
                """;
        // FAIL_ON_UNKNOWN_PROPERTIES alone would accept this: fabric8 classes keep unknown
        // fields in an "additionalProperties" map (@JsonAnySetter). strictMapper() drops that.
        Exception unknown = assertThrows(Exception.class,
                () -> STRICT.treeToValue(YAML.readTree(misspelled), Deployment.class));
        assertTrue(unknown.getMessage().contains("livenesProbe"), unknown.getMessage());

        String quotedNumber = "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: \"80\"}]}\n";
        assertThrows(Exception.class, () -> STRICT.treeToValue(YAML.readTree(quotedNumber), Service.class));
        String bareNumber = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {DB_PORT: 5432}\n";
        assertThrows(Exception.class, () -> STRICT.treeToValue(YAML.readTree(bareNumber), ConfigMap.class));
        String quotedBoolean = "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nimmutable: \"true\"\n";
        assertThrows(Exception.class, () -> STRICT.treeToValue(YAML.readTree(quotedBoolean), Secret.class));
    }

    @Test
    void applicationPathsAreResolvedAsQuarkusResolvesThem() {
        AppSettings defaults = AppSettings.read(new Properties(), Map.of());
        assertEquals(8080, defaults.httpPort());
        assertEquals("/q/health/live", defaults.livenessPath());
        assertEquals("/q/health/ready", defaults.readinessPath());
        assertEquals("/q/health/started", defaults.startupPath());
        assertEquals("/q/metrics", defaults.metricsPath());
        assertEquals(8080, defaults.healthPort());
        assertEquals(Duration.ZERO, defaults.shutdownTimeout());

        Properties props = new Properties();
        props.setProperty("quarkus.http.port", "${PORT:8081}");
        props.setProperty("%prod.quarkus.http.port", "9090");
        props.setProperty("%dev.quarkus.http.port", "7070");
        props.setProperty("quarkus.http.root-path", "/api");
        props.setProperty("quarkus.smallrye-health.root-path", "/health");
        props.setProperty("quarkus.smallrye-health.readiness-path", "ok");
        props.setProperty("quarkus.shutdown.timeout", "20s");
        AppSettings custom = AppSettings.read(props, Map.of());
        assertEquals(9090, custom.httpPort());
        assertEquals("/health/ok", custom.readinessPath());
        assertEquals("/api/q/metrics", custom.metricsPath());
        assertEquals(Duration.ofSeconds(20), custom.shutdownTimeout());

        // The environment beats the file, as it does in Quarkus.
        AppSettings overridden = AppSettings.read(props,
                Map.of("QUARKUS_HTTP_PORT", new EnvValue("8082", "literal"), "QUARKUS_SHUTDOWN_TIMEOUT", new EnvValue("PT45S", "literal")));
        assertEquals(8082, overridden.httpPort());
        assertEquals(Duration.ofSeconds(45), overridden.shutdownTimeout());

        // The management interface: its own port and root path; quarkus.http.root-path no longer applies.
        props.setProperty("quarkus.management.enabled", "true");
        AppSettings management = AppSettings.read(props, Map.of());
        assertEquals(9000, management.healthPort());
        assertEquals("/q/metrics", management.metricsPath());
        props.setProperty("quarkus.management.port", "${QUARKUS_MANAGEMENT_PORT:9000}");
        props.setProperty("quarkus.management.root-path", "/manage");
        props.remove("quarkus.smallrye-health.root-path");
        AppSettings moved = AppSettings.read(props, Map.of("QUARKUS_MANAGEMENT_PORT", new EnvValue("9100", "literal")));
        assertEquals(9100, moved.healthPort());
        assertEquals(9090, moved.httpPort());
        assertEquals("/manage/health/live", moved.livenessPath());
        assertEquals("/manage/metrics", moved.metricsPath());
    }

    // ---------------------------------------------------------------------------------------
    // Custom resources: the parts of their CRD schemas these manifests use.

    private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced",
            "triggers");
    private static final Set<String> SCALED_OBJECT_TRIGGER = Set.of("type", "name", "metadata", "metricType",
            "authenticationRef", "useCachedMetrics");
    private static final Set<String> SERVICE_MONITOR_SPEC = Set.of("selector", "endpoints", "namespaceSelector",
            "jobLabel", "targetLabels", "podTargetLabels", "sampleLimit", "targetLimit", "labelLimit",
            "labelNameLengthLimit", "labelValueLengthLimit", "attachMetadata", "keepDroppedTargets", "scrapeProtocols",
            "bodySizeLimit", "scrapeClass", "selectorMechanism", "fallbackScrapeProtocol");
    private static final Set<String> SERVICE_MONITOR_ENDPOINT = Set.of("port", "targetPort", "path", "scheme", "params",
            "interval", "scrapeTimeout", "honorLabels", "honorTimestamps", "trackTimestampsStaleness", "metricRelabelings",
            "relabelings", "tlsConfig", "authorization", "basicAuth", "oauth2", "bearerTokenSecret", "bearerTokenFile",
            "proxyUrl", "followRedirects", "enableHttp2", "filterRunning");
    private static final Pattern PROMETHEUS_DURATION = Pattern.compile("^(\\d+(ms|s|m|h|d|w|y))+$");

    private static void checkScaledObjectShape(JsonNode object) throws IOException {
        checkMetadata(object);
        JsonNode spec = object.path("spec");
        onlyKeys(spec, SCALED_OBJECT_SPEC, "spec");
        assertTrue(spec.path("scaleTargetRef").path("name").isTextual(), "spec.scaleTargetRef.name is required");
        onlyKeys(spec.path("scaleTargetRef"), Set.of("apiVersion", "kind", "name", "envSourceContainerName"),
                "spec.scaleTargetRef");
        for (String count : List.of("pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount")) {
            assertTrue(spec.path(count).isMissingNode() || spec.path(count).isInt(), "spec." + count + " must be an integer");
        }
        JsonNode hpaConfig = spec.path("advanced").path("horizontalPodAutoscalerConfig");
        onlyKeys(spec.path("advanced"), Set.of("horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount",
                "scalingModifiers"), "spec.advanced");
        onlyKeys(hpaConfig, Set.of("name", "behavior"), "spec.advanced.horizontalPodAutoscalerConfig");
        if (hpaConfig.has("behavior")) {
            // KEDA copies this into the HPA it creates: the HPA's own schema applies.
            STRICT.treeToValue(hpaConfig.path("behavior"), HorizontalPodAutoscalerBehavior.class);
        }
        assertTrue(spec.path("triggers").isArray() && !spec.path("triggers").isEmpty(), "spec.triggers is required");
        for (JsonNode trigger : spec.path("triggers")) {
            onlyKeys(trigger, SCALED_OBJECT_TRIGGER, "trigger");
            // KEDA's trigger metadata is map[string]string: an unquoted number is refused.
            trigger.path("metadata").fields().forEachRemaining(
                    f -> assertTrue(f.getValue().isTextual(), "trigger metadata." + f.getKey() + " must be a string"));
            switch (trigger.path("type").asText()) {
                case "cron" -> {
                    JsonNode meta = trigger.path("metadata");
                    onlyKeys(meta, Set.of("timezone", "start", "end", "desiredReplicas"), "cron metadata");
                    ZoneId.of(meta.path("timezone").asText());
                    for (String cron : List.of("start", "end")) {
                        assertEquals(5, meta.path(cron).asText().trim().split("\\s+").length,
                                "cron " + cron + " must be a five-field cron expression");
                    }
                    assertNotEquals(meta.path("start").asText(), meta.path("end").asText(), "cron start equals end");
                    Integer.parseInt(meta.path("desiredReplicas").asText());
                }
                case "cpu", "memory" -> {
                    assertTrue(Set.of("Utilization", "AverageValue").contains(trigger.path("metricType").asText()),
                            "cpu trigger needs metricType Utilization or AverageValue");
                    onlyKeys(trigger.path("metadata"), Set.of("value", "containerName"), "cpu metadata");
                    Integer.parseInt(trigger.path("metadata").path("value").asText());
                }
                default -> fail("trigger type " + trigger.path("type") + " is not checked here; add its metadata keys");
            }
        }
    }

    private static void checkServiceMonitorShape(JsonNode object) {
        checkMetadata(object);
        JsonNode spec = object.path("spec");
        onlyKeys(spec, SERVICE_MONITOR_SPEC, "spec");
        onlyKeys(spec.path("selector"), Set.of("matchLabels", "matchExpressions"), "spec.selector");
        assertTrue(spec.path("selector").path("matchLabels").isObject(), "spec.selector.matchLabels is required here");
        assertTrue(spec.path("endpoints").isArray() && !spec.path("endpoints").isEmpty(), "spec.endpoints is required");
        for (JsonNode endpoint : spec.path("endpoints")) {
            onlyKeys(endpoint, SERVICE_MONITOR_ENDPOINT, "endpoint");
            assertTrue(endpoint.path("port").isTextual(), "endpoint.port must name a Service port");
            assertTrue(endpoint.path("path").asText().startsWith("/"), "endpoint.path must be absolute");
            for (String duration : List.of("interval", "scrapeTimeout")) {
                JsonNode value = endpoint.path(duration);
                assertTrue(value.isMissingNode() || PROMETHEUS_DURATION.matcher(value.asText()).matches(),
                        "endpoint." + duration + " is no Prometheus duration: " + value);
            }
        }
    }

    /** The rule expressions themselves are checked by promtool (MonitoringTest); here, the CRD's shape. */
    private static void checkPrometheusRuleShape(JsonNode object) {
        checkMetadata(object);
        onlyKeys(object.path("spec"), Set.of("groups"), "spec");
        assertTrue(object.path("spec").path("groups").isArray() && !object.path("spec").path("groups").isEmpty(), "spec.groups is required");
        for (JsonNode group : object.path("spec").path("groups")) {
            onlyKeys(group, Set.of("name", "interval", "rules"), "group");
            assertTrue(group.path("name").isTextual(), "group.name is required");
            for (JsonNode rule : group.path("rules")) {
                onlyKeys(rule, Set.of("alert", "record", "expr", "for", "labels", "annotations"), "rule");
                assertTrue(rule.path("alert").isTextual() != rule.path("record").isTextual(), "a rule is an alert or a record: " + rule);
                assertTrue(rule.path("expr").isTextual(), "rule.expr is required: " + rule);
            }
        }
    }

    private static void checkMetadata(JsonNode object) {
        try {
            STRICT.treeToValue(object.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class);
        } catch (IOException e) {
            throw new AssertionError("metadata: " + e.getMessage());
        }
        assertTrue(object.path("metadata").path("name").isTextual(), "metadata.name is required");
        onlyKeys(object, Set.of("apiVersion", "kind", "metadata", "spec"), "object");
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String where) {
        if (node.isMissingNode()) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                unknown.add(f);
            }
        });
        assertTrue(unknown.isEmpty(), where + " has unknown fields " + unknown);
    }

    // ---------------------------------------------------------------------------------------
    // Pre-scaling with CronJobs.

    private static boolean patchesAnHpa(CronJob job) {
        List<String> args = Optional.ofNullable(prescalerContainer(job).getArgs()).orElse(List.of());
        return args.size() >= 2 && args.get(0).equals("patch")
                && Set.of("hpa", "horizontalpodautoscaler", "horizontalpodautoscalers").contains(args.get(1));
    }

    private static Container prescalerContainer(CronJob job) {
        return job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static void checkCronPrescalers(Rendering rendering, List<CronJob> prescalers) {
        HorizontalPodAutoscaler hpa = rendering.typed("HorizontalPodAutoscaler", API, HorizontalPodAutoscaler.class);
        TreeMap<Integer, CronJob> byFloor = new TreeMap<>();
        for (CronJob job : prescalers) {
            assertEquals(RELEASE_ZONE, job.getSpec().getTimeZone(), job.getMetadata().getName() + " timeZone");
            List<String> args = prescalerContainer(job).getArgs();
            assertEquals(API, args.get(2), job.getMetadata().getName() + " must patch the HPA " + API);
            String patch = args.stream().filter(a -> a.startsWith("--patch=") || a.startsWith("-p="))
                    .map(a -> a.substring(a.indexOf('=') + 1)).findFirst()
                    .orElseThrow(() -> new AssertionError(job.getMetadata().getName() + " has no --patch=..."));
            JsonNode floor;
            try {
                floor = YAML.readTree(patch).path("spec").path("minReplicas");
            } catch (IOException e) {
                throw new AssertionError(job.getMetadata().getName() + " patch is not JSON: " + patch, e);
            }
            assertTrue(floor.isInt(), job.getMetadata().getName() + " must set spec.minReplicas to an integer");
            byFloor.put(floor.asInt(), job);
            checkPrescalerMayPatch(rendering, job, hpa);
        }
        assertEquals(2, byFloor.size(), "expected one CronJob raising minReplicas and one lowering it again");
        int low = byFloor.firstKey();
        int high = byFloor.lastKey();
        assertEquals(hpa.getSpec().getMinReplicas(), low, "the lowering CronJob must restore the HPA's own minReplicas");
        assertTrue(high <= hpa.getSpec().getMaxReplicas(), "the raised floor must not exceed maxReplicas");
        assertTrue(dailyAt(byFloor.get(high).getSpec().getSchedule()).isBefore(RELEASE), "raise before " + RELEASE);
        assertTrue(dailyAt(byFloor.get(low).getSpec().getSchedule()).isAfter(RELEASE), "lower after " + RELEASE);
    }

    private static void checkPrescalerMayPatch(Rendering rendering, CronJob job, HorizontalPodAutoscaler hpa) {
        PodSpec pod = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        String account = pod.getServiceAccountName();
        assertNotNull(account, job.getMetadata().getName() + " needs its own ServiceAccount");
        assertNotEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "kubectl needs the token");
        String namespace = job.getMetadata().getNamespace();
        boolean allowed = rendering.all("RoleBinding").stream()
                .filter(b -> stream(b.path("subjects")).anyMatch(s -> s.path("kind").asText().equals("ServiceAccount")
                        && s.path("name").asText().equals(account)
                        && s.path("namespace").asText().equals(namespace)))
                .map(b -> b.path("roleRef"))
                .filter(ref -> ref.path("kind").asText().equals("Role"))
                .flatMap(ref -> rendering.find("Role", ref.path("name").asText()).stream())
                .flatMap(role -> stream(role.path("rules")))
                .anyMatch(rule -> texts(rule.path("apiGroups")).contains("autoscaling")
                        && texts(rule.path("resources")).contains("horizontalpodautoscalers")
                        && texts(rule.path("verbs")).containsAll(List.of("get", "patch"))
                        && (rule.path("resourceNames").isEmpty()
                                || texts(rule.path("resourceNames")).contains(hpa.getMetadata().getName())));
        assertTrue(allowed, "ServiceAccount " + account + " is not bound to a Role that may get and patch HPA "
                + hpa.getMetadata().getName() + " in " + namespace);
    }

    /** "M H * * *", the only schedule shape the pre-scalers use. */
    private static LocalTime dailyAt(String cron) {
        Matcher m = Pattern.compile("^(\\d{1,2}) (\\d{1,2}) \\* \\* \\*$").matcher(cron.trim());
        assertTrue(m.matches(), "expected a daily schedule \"M H * * *\", got \"" + cron + "\"");
        return LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
    }

    // ---------------------------------------------------------------------------------------
    // The API container.

    private static Container apiContainer(PodSpec pod) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(API)).findFirst()
                .orElseThrow(() -> new AssertionError("no container named " + API));
    }

    private static void assertProbe(Container app, Probe probe, String which, String path, int port) {
        assertNotNull(probe, which + " is missing");
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, which + " must be an HTTP GET on the health endpoint");
        assertEquals(path, get.getPath(), which + " path");
        assertEquals(port, resolvePort(app, get.getPort()), which + " port");
    }

    private static int portNamed(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .map(ContainerPort::getContainerPort)
                .orElseThrow(() -> new AssertionError("container " + container.getName() + " has no port " + name));
    }

    private static int resolvePort(Container container, IntOrString port) {
        assertNotNull(port, "port is missing");
        return port.getIntVal() != null ? port.getIntVal() : portNamed(container, port.getStrVal());
    }

    private static long preStopSeconds(Container container) {
        LifecycleHandler preStop = container.getLifecycle() == null ? null : container.getLifecycle().getPreStop();
        if (preStop == null) {
            return 0;
        }
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        if (preStop.getExec() != null) {
            String command = String.join(" ", preStop.getExec().getCommand());
            Matcher m = Pattern.compile("\\bsleep\\s+(\\d+)").matcher(command);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return fail("preStop must pause (sleep action or `sleep N`), found " + preStop);
    }

    private static Volume volumeNamed(PodSpec pod, String name) {
        return Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
                .filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume named " + name));
    }

    // ---------------------------------------------------------------------------------------
    // What the application reads, resolved the way Quarkus resolves it for the prod profile.

    /** A value in the pod's environment and where it came from. */
    record EnvValue(String value, String origin) {
        boolean fromSecret() {
            return origin.startsWith("Secret ");
        }
    }

    record AppSettings(int httpPort, boolean managementEnabled, int managementPort, String livenessPath,
            String readinessPath, String startupPath, String metricsPath, Duration shutdownTimeout) {

        /** The port that serves health and metrics: the management interface's when it is enabled. */
        int healthPort() {
            return managementEnabled ? managementPort : httpPort;
        }

        private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

        static AppSettings read(Properties file, Map<String, EnvValue> env) {
            Function<String, Optional<String>> lookup = key -> lookup(file, env, key, 0);
            boolean management = lookup.apply("quarkus.management.enabled").map(Boolean::parseBoolean).orElse(false);
            // On the management interface the endpoints hang under its root path (default /q), not under
            // quarkus.http.root-path and the non-application root.
            String nonApplication = management
                    ? under("/", lookup.apply("quarkus.management.root-path").orElse("q"))
                    : under(lookup.apply("quarkus.http.root-path").orElse("/"),
                            lookup.apply("quarkus.http.non-application-root-path").orElse("q"));
            String health = under(nonApplication, lookup.apply("quarkus.smallrye-health.root-path").orElse("health"));
            return new AppSettings(
                    Integer.parseInt(lookup.apply("quarkus.http.port").orElse("8080")),
                    management,
                    Integer.parseInt(lookup.apply("quarkus.management.port").orElse("9000")),
                    under(health, lookup.apply("quarkus.smallrye-health.liveness-path").orElse("live")),
                    under(health, lookup.apply("quarkus.smallrye-health.readiness-path").orElse("ready")),
                    under(health, lookup.apply("quarkus.smallrye-health.startup-path").orElse("started")),
                    under(nonApplication, lookup.apply("quarkus.micrometer.export.prometheus.path").orElse("metrics")),
                    // Absent means Quarkus does not wait for in-flight requests at all.
                    lookup.apply("quarkus.shutdown.timeout").map(AppSettings::duration).orElse(Duration.ZERO));
        }

        /** Environment variable first, then %prod.key, then key; ${NAME:default} expanded. */
        private static Optional<String> lookup(Properties file, Map<String, EnvValue> env, String key, int depth) {
            assertTrue(depth < 10, "property expressions nest too deeply at " + key);
            String envName = key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
            String raw = env.containsKey(key) ? env.get(key).value()
                    : env.containsKey(envName) ? env.get(envName).value()
                    : file.getProperty("%prod." + key, file.getProperty(key));
            if (raw == null) {
                return Optional.empty();
            }
            Matcher m = EXPRESSION.matcher(raw);
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = lookup(file, env, name, depth + 1)
                        .or(() -> Optional.ofNullable(m.group(2)))
                        .orElseThrow(() -> new AssertionError("cannot resolve ${" + name + "} in " + key
                                + ": give it a default or set it in the manifests"));
                m.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            m.appendTail(expanded);
            return Optional.of(expanded.toString().trim());
        }

        /** Quarkus' rule: an absolute path stands alone, a relative one hangs under its parent. */
        static String under(String parent, String path) {
            String joined = path.startsWith("/") ? path : parent + "/" + path;
            String normalized = joined.replaceAll("/+", "/");
            return normalized.length() > 1 && normalized.endsWith("/")
                    ? normalized.substring(0, normalized.length() - 1)
                    : normalized;
        }

        /** Quarkus' duration syntax: bare seconds, ISO-8601, or a number with ms, s, m, h or d. */
        static Duration duration(String value) {
            String v = value.trim();
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            if (v.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("\\d+[dD]")) {
                return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(v.toUpperCase().startsWith("P") ? v : "PT" + v);
        }
    }

    private static Properties applicationProperties() {
        Path file = ROOT.resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new AssertionError("cannot read " + file, e);
            }
        }
        return properties; // absent: Quarkus defaults throughout
    }

    // ---------------------------------------------------------------------------------------
    // Rendering.

    record Combination(String overlay, List<String> components) {
    }

    record ModelType(String className, String artifact) {
        Class<?> load() {
            try {
                return Class.forName(className);
            } catch (ClassNotFoundException e) {
                throw new AssertionError(className + " is not on the test classpath: add the test dependency "
                        + "io.fabric8:" + artifact + " (same version as the other kubernetes-model artifacts)");
            }
        }
    }

    private static Map.Entry<String, ModelType> model(String apiVersion, String kind, String className, String artifact) {
        return Map.entry(apiVersion + "/" + kind, new ModelType(className, artifact));
    }

    record Rendering(String name, List<JsonNode> objects) {

        @Override
        public String toString() {
            return name;
        }

        List<JsonNode> all(String kind) {
            return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        }

        Optional<JsonNode> find(String kind, String name) {
            return all(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
        }

        <T> T typed(String kind, String name, Class<T> type) {
            return KubernetesManifestsTest.typed(
                    find(kind, name).orElseThrow(() -> new AssertionError(this.name + " renders no " + kind + " " + name)),
                    type);
        }

        /** Pod templates by owner ("Deployment/x"), from every kind of workload rendered. */
        Map<String, PodTemplateSpec> podTemplates() {
            Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
            // Qualified: this record's own typed(kind, name, type) hides the outer one.
            all("Deployment").forEach(o -> templates.put("Deployment/" + nameOf(o),
                    KubernetesManifestsTest.typed(o, Deployment.class).getSpec().getTemplate()));
            all("StatefulSet").forEach(o -> templates.put("StatefulSet/" + nameOf(o),
                    KubernetesManifestsTest.typed(o, StatefulSet.class).getSpec().getTemplate()));
            all("CronJob").forEach(o -> templates.put("CronJob/" + nameOf(o),
                    KubernetesManifestsTest.typed(o, CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate()));
            return templates;
        }

        /** The container's environment as the kubelet builds it: envFrom in order, then env. */
        Map<String, EnvValue> environmentOf(Container container) {
            Map<String, EnvValue> env = new HashMap<>();
            for (EnvFromSource source : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
                String prefix = Optional.ofNullable(source.getPrefix()).orElse("");
                if (source.getConfigMapRef() != null) {
                    String map = source.getConfigMapRef().getName();
                    configMapData(map).forEach((k, v) -> env.put(prefix + k, new EnvValue(v, "ConfigMap " + map)));
                }
                if (source.getSecretRef() != null) {
                    String secret = source.getSecretRef().getName();
                    secretData(secret).forEach((k, v) -> env.put(prefix + k, new EnvValue(v, "Secret " + secret)));
                }
            }
            for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                if (var.getValueFrom() == null) {
                    env.put(var.getName(), new EnvValue(Optional.ofNullable(var.getValue()).orElse(""), "literal"));
                } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = var.getValueFrom().getConfigMapKeyRef();
                    env.put(var.getName(), new EnvValue(keyOf(configMapData(ref.getName()), ref.getKey(),
                            "ConfigMap " + ref.getName()), "ConfigMap " + ref.getName()));
                } else if (var.getValueFrom().getSecretKeyRef() != null) {
                    var ref = var.getValueFrom().getSecretKeyRef();
                    env.put(var.getName(), new EnvValue(keyOf(secretData(ref.getName()), ref.getKey(),
                            "Secret " + ref.getName()), "Secret " + ref.getName()));
                }
            }
            return env;
        }

        private Map<String, String> configMapData(String name) {
            ConfigMap map = typed("ConfigMap", name, ConfigMap.class);
            return Optional.ofNullable(map.getData()).orElse(Map.of());
        }

        private Map<String, String> secretData(String name) {
            Secret secret = typed("Secret", name, Secret.class);
            Map<String, String> data = new HashMap<>();
            Optional.ofNullable(secret.getData()).orElse(Map.of())
                    .forEach((k, v) -> data.put(k, new String(Base64.getMimeDecoder().decode(v), UTF_8)));
            data.putAll(Optional.ofNullable(secret.getStringData()).orElse(Map.of()));
            return data;
        }

        private static String keyOf(Map<String, String> data, String key, String where) {
            String value = data.get(key);
            if (value == null) {
                throw new AssertionError(where + " has no key " + key);
            }
            return value;
        }

        private static String nameOf(JsonNode object) {
            return object.path("metadata").path("name").asText();
        }
    }

    static Stream<Rendering> renderings() {
        assertTrue(Files.isDirectory(K8S.resolve("overlays")),
                "no k8s/overlays under " + ROOT + ": run the test from the project root");
        List<String> targets = new ArrayList<>();
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .forEach(targets::add);
        } catch (IOException e) {
            throw new AssertionError("cannot list k8s/overlays", e);
        }
        targets.addAll(new TreeSet<>(COMBINATIONS.keySet()));
        return targets.stream().map(name -> RENDERED.computeIfAbsent(name, KubernetesManifestsTest::render));
    }

    private static Rendering render(String name) {
        Path directory = COMBINATIONS.containsKey(name) ? combinationDirectory(name, COMBINATIONS.get(name))
                : K8S.resolve("overlays").resolve(name);
        String yaml = kustomize(directory);
        try {
            List<JsonNode> objects = new ArrayList<>();
            YAML.readerFor(JsonNode.class).readValues(yaml).forEachRemaining(o -> {
                JsonNode node = (JsonNode) o;
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    objects.add(node);
                }
            });
            assertFalse(objects.isEmpty(), name + " renders nothing");
            return new Rendering(name, List.copyOf(objects));
        } catch (IOException e) {
            throw new AssertionError(name + ": kustomize output is not YAML", e);
        }
    }

    /** kustomize refuses absolute paths, so the combination's kustomization points back relatively. */
    private static Path combinationDirectory(String name, Combination combination) {
        Path directory = ROOT.resolve("target/kustomize-combinations").resolve(name);
        String yaml = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources:\n  - " + directory.relativize(K8S.resolve(combination.overlay())) + "\n"
                + "components:\n" + combination.components().stream()
                        .map(c -> "  - " + directory.relativize(K8S.resolve(c)) + "\n")
                        .collect(Collectors.joining());
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("kustomization.yaml"), yaml, UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot write " + directory, e);
        }
        return directory;
    }

    private static String kustomize(Path directory) {
        String kubectl = System.getProperty("kubectl", "kubectl");
        Process process;
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            errors.toFile().deleteOnExit();
            process = new ProcessBuilder(kubectl, "kustomize", directory.toString())
                    .redirectError(errors.toFile())
                    .start();
            String out;
            try (InputStream stdout = process.getInputStream()) {
                out = new String(stdout.readAllBytes(), UTF_8);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + directory + " did not finish within 2 minutes");
            }
            if (process.exitValue() != 0) {
                fail("kubectl kustomize " + ROOT.relativize(directory) + " failed:\n" + read(errors));
            }
            return out;
        } catch (IOException e) {
            return fail("cannot run `" + kubectl + " kustomize`: " + e.getMessage() + "\nThis test renders k8s/ with "
                    + "kubectl (1.27 or later, offline, no cluster needed). Install kubectl and put it on the PATH, "
                    + "or pass -Dkubectl=/path/to/kubectl.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while rendering " + directory);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Jackson.

    /**
     * FAIL_ON_UNKNOWN_PROPERTIES is not enough for fabric8's model: every class has a
     * {@code @JsonAnySetter} that files unknown fields under "additionalProperties", so a misspelt
     * {@code livenesProbe} would pass. Dropping the any-setter makes unknown fields fail; the
     * coercion settings refuse "8080" for an integer and 5432 for a string, as the API server does.
     */
    private static ObjectMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule("no-any-setter");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                    BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        });
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(noAnySetter)
                .build();
        for (CoercionInputShape scalar : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        return mapper;
    }

    private static <T> T typed(JsonNode object, Class<T> type) {
        try {
            return STRICT.treeToValue(object, type);
        } catch (IOException e) {
            // The message names the field and its path; Jackson's stack adds nothing to it.
            throw new AssertionError(type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String typeOf(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
