package io.wsgate.core.policy.jwt;

import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.file.GatewayFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * com.auth0:jwks-rsa is optional in wsgate-core: an application that asks for a JWKS URL without it gets a
 * {@link ConfigurationException} naming the artifact, not a {@link NoClassDefFoundError} from deep inside.
 * Core's classes are loaded again by a class loader that cannot see {@code com.auth0.jwk}, as in an
 * application that did not add the dependency.
 */
class JwksRsaAbsentTest {

    private static final URI JWKS = URI.create("https://login.example.com/.well-known/jwks.json");

    @Test
    void aJwksKeySetWithoutJwksRsaNamesTheArtifactToAdd() throws Exception {
        try (URLClassLoader app = withoutJwksRsa()) {
            Throwable thrown = callInside(app, () -> Class.forName(JwksKeys.class.getName(), true, app)
                    .getMethod("builder", URI.class).invoke(null, JWKS));

            assertMissingJwksRsa(thrown, app);
        }
    }

    @Test
    void aGatewayFileAskingForJwksWithoutJwksRsaNamesTheArtifactToAdd() throws Exception {
        String yaml = """
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt:
                          jwks: https://login.example.com/.well-known/jwks.json
                """;
        try (URLClassLoader app = withoutJwksRsa()) {
            Throwable thrown = callInside(app, () -> {
                Object loader = Class.forName(GatewayFiles.class.getName(), true, app).getMethod("loader").invoke(null);
                return loader.getClass().getMethod("parse", String.class, String.class).invoke(loader, yaml, "gateway.yaml");
            });

            assertMissingJwksRsa(thrown, app);
        }
    }

    @Test
    void theArtifactNamedIsTheVersionTheBuildManages() {
        // Surefire passes the POM's jwks-rsa.version; run elsewhere, the property is absent and this is skipped.
        String managed = System.getProperty("wsgate.jwks-rsa.version");
        if (managed != null) {
            assertThat(JwksKeys.JWKS_RSA).isEqualTo("com.auth0:jwks-rsa:" + managed);
        }
    }

    @Test
    void theCheckPassesWhenTheLibraryIsPresent() {
        JwksKeys.requireJwksRsa(JWKS, name -> true);
        assertThat(JwksKeys.builder(JWKS).build().url()).isEqualTo(JWKS);
        assertThatThrownBy(() -> JwksKeys.requireJwksRsa(JWKS, name -> !name.startsWith("com.auth0.jwk.")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(JwksKeys.JWKS_RSA);
    }

    private static void assertMissingJwksRsa(Throwable thrown, ClassLoader app) {
        assertThat(thrown).isInstanceOf(InvocationTargetException.class);
        Throwable cause = thrown.getCause();
        // Core's classes in that loader are its own: compare by name.
        assertThat(cause.getClass().getClassLoader()).isSameAs(app);
        assertThat(isConfigurationException(cause.getClass())).as("%s is a ConfigurationException", cause).isTrue();
        assertThat(cause.getMessage())
                .contains(JWKS.toString())
                .contains("add the dependency " + JwksKeys.JWKS_RSA);
    }

    private static boolean isConfigurationException(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ConfigurationException.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Runs the call with that loader as the thread's context class loader (the gateway file loader's default). */
    private static Throwable callInside(ClassLoader app, ThrowingCall call) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(app);
        try {
            return catchThrowable(call::call);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * @return a loader that defines wsgate-core's classes itself, from where this build compiled them, and
     *         takes everything else from the test's class path except {@code com.auth0.jwk} (and core's
     *         services entries there: they may name test classes the loader's core cannot see)
     */
    private static URLClassLoader withoutJwksRsa() {
        URL coreClasses = JwksKeys.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader rest = new ClassLoader(JwksRsaAbsentTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("com.auth0.jwk.") || name.startsWith("io.wsgate.core.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }

            @Override
            public URL getResource(String name) {
                return hidden(name) ? null : super.getResource(name);
            }

            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return hidden(name) ? Collections.emptyEnumeration() : super.getResources(name);
            }

            /** The library's classes, and core's services entries, which the loader's own copy of core lists. */
            private boolean hidden(String name) {
                return name.startsWith("com/auth0/jwk/") || name.startsWith("META-INF/services/io.wsgate.core.");
            }
        };
        return new URLClassLoader(new URL[] {coreClasses}, rest);
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object call() throws Exception;
    }
}
