package org.datasandbox.api.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone cluster on 127.0.0.1: a Master and Workers as separate JVMs started from this JVM's
 * classpath (with the same {@code --add-opens} as Surefire), 1 core and little memory each, random free ports,
 * every directory under one folder. Master, Workers and the executors they launch share the cluster's
 * authentication secret through their environment (never a command line), and encrypt Spark's RPC.
 * {@link #close()} destroys every process and their children; a shutdown hook does the same if the JVM
 * ends first.
 */
final class StandaloneCluster implements AutoCloseable {
    /** The JVM flags Surefire gives tests (pom: spark.jvm.opens), which Spark needs on Java 17. */
    private static final List<String> OPENS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final Path dir;
    private final String secret;
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::destroyAll, "standalone-cluster-teardown");
    private final int masterPort;
    private final int masterUiPort;

    private StandaloneCluster(Path dir, String secret) throws IOException {
        this.dir = dir;
        this.secret = secret;
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts a Master and {@code workers} Workers and waits until every Worker has registered. */
    static StandaloneCluster start(Path dir, String secret, int workers, Duration timeout) throws Exception {
        StandaloneCluster cluster = new StandaloneCluster(dir, secret);
        try {
            // Spark's launcher builds an executor's classpath from SPARK_HOME/jars and spark.executor.extraClassPath:
            // an empty jars folder, so that the classpath the driver gives (this JVM's) is the whole of it
            Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
            cluster.launch("master", "org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.masterPort), "--webui-port", Integer.toString(cluster.masterUiPort)),
                    "256m");
            for (int i = 1; i <= workers; i++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + i).resolve("work"));
                cluster.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", List.of(cluster.masterUrl(),
                        "--host", "127.0.0.1", "--port", Integer.toString(freePort()),
                        "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory", "640m",
                        "--work-dir", work.toString()), "256m");
            }
            cluster.awaitWorkers(workers, timeout);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The folder every process writes under: logs, work dirs, local (shuffle and spill) dirs. */
    Path dir() {
        return dir;
    }

    private void launch(String name, String mainClass, List<String> args, String heap) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.addAll(OPENS);
        command.add("-Dspark.authenticate=true");
        command.add("-Dspark.network.crypto.enabled=true");
        command.add("-Dspark.io.encryption.enabled=true");
        command.add("-Dspark.worker.cleanup.enabled=false");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("local"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("_SPARK_AUTH_SECRET", secret);
        env.put("SPARK_HOME", dir.resolve("spark-home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_DIRS", home.resolve("local").toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.remove("SPARK_CONF_DIR");
        synchronized (processes) {
            processes.add(builder.start());
        }
    }

    private void awaitWorkers(int workers, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a cluster process ended with " + process.exitValue() + "; see "
                            + dir);
                }
            }
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (last.replace(" ", "").contains("\"aliveworkers\":" + workers)) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the cluster did not come up in " + timeout + ": " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void destroyAll() {
        synchronized (processes) {
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            for (Process process : processes) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            processes.clear();
        }
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
