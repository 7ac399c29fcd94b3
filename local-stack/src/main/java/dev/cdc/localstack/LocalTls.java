package dev.cdc.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, made with the JDK's keytool,
 * so that a {@link LocalMariaDb} can require TLS and a client can verify it: the server gets {@link #serverArgs()},
 * the client the {@link #trustStore()} (PKCS12, holding the CA) and its {@link #trustStorePassword()}. The passwords
 * are random per instance.
 */
public final class LocalTls {

    private final Path dir;
    private final String trustStorePassword;

    private LocalTls(Path dir, String trustStorePassword) {
        this.dir = dir;
        this.trustStorePassword = trustStorePassword;
    }

    /** Creates the CA, the server key and certificate (signed by the CA) and the trust store under {@code dir}. */
    public static LocalTls create(Path dir) {
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        String storePassword = "ks" + HexFormat.of().formatHex(random);
        new SecureRandom().nextBytes(random);
        LocalTls tls = new LocalTls(dir.toAbsolutePath(), "ts" + HexFormat.of().formatHex(random));
        try {
            Files.createDirectories(tls.dir);
            tls.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=cdc local test CA", "-ext", "bc:c", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", storePassword);
            tls.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", storePassword, "-file", "ca.pem");
            tls.keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=127.0.0.1", "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", storePassword);
            tls.keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", storePassword, "-file", "server.csr");
            tls.keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", storePassword, "-infile", "server.csr",
                    "-outfile", "server-cert.pem", "-validity", "30", "-ext", "SAN=ip:127.0.0.1,dns:localhost");
            tls.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "truststore.p12",
                    "-storetype", "PKCS12", "-storepass", tls.trustStorePassword);
            tls.writePrivateKeyPem(storePassword);
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Could not read the server key back from server.p12: " + e.getMessage(), e);
        }
    }

    /** Arguments for {@link LocalMariaDb#start}: TLS on (they come after its default --skip-ssl), with this certificate. */
    public String[] serverArgs() {
        return new String[] {"--ssl", "--ssl-ca=" + dir.resolve("ca.pem"), "--ssl-cert=" + dir.resolve("server-cert.pem"),
                "--ssl-key=" + dir.resolve("server-key.pem")};
    }

    /** A PKCS12 trust store holding the CA certificate. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** The server's key as unencrypted PKCS#8 PEM, which the server reads; keytool cannot export a private key. */
    private void writePrivateKeyPem(String storePassword) throws IOException, java.security.GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            ks.load(in, storePassword.toCharArray());
        }
        Key key = ks.getKey("server", storePassword.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve("server-key.pem");
        Files.writeString(file, pem);
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool " + args[0] + " failed; see " + log + ":\n" + LocalMariaDb.tail(log));
        }
    }
}
