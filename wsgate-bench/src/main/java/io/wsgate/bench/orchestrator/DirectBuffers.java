package io.wsgate.bench.orchestrator;

import com.sun.tools.attach.VirtualMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.Optional;

/**
 * A JVM target's direct buffer memory: the JDK's {@code java.nio:type=BufferPool,name=direct} (every
 * {@code ByteBuffer.allocateDirect}, Jetty's pooled buffers and the JDK's per-thread temporary buffers
 * included), read over JMX from the target's local management agent, which the attach API starts in it.
 * Needs no option on the target; the agent adds a few threads and some heap of its own, once, before the
 * first reading.
 */
final class DirectBuffers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectBuffers.class);
    private static final String POOL = "java.nio:type=BufferPool,name=direct";
    private static final String RESPONSE_TIMEOUT = "sun.rmi.transport.tcp.responseTimeout";

    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private DirectBuffers(long pid, JMXConnector connector) throws java.io.IOException {
        this.pid = pid;
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /**
     * @param pid a JVM of this user
     * @return a connection to its buffer pools; empty (with a warning) when it cannot be attached to
     */
    static Optional<DirectBuffers> attach(long pid) {
        if (System.getProperty(RESPONSE_TIMEOUT) == null) {
            // a target out of memory may never answer: RMI would wait for ever
            System.setProperty(RESPONSE_TIMEOUT, "15000");
        }
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            return Optional.of(new DirectBuffers(pid, JMXConnectorFactory.connect(new JMXServiceURL(address))));
        } catch (Exception e) {
            LOG.warn("no JMX connection to {}; its direct buffers will not be reported: {}", pid, e.toString());
            return Optional.empty();
        }
    }

    /** @return the direct buffers' memory in use, KiB; NaN when it cannot be read (the JVM gone or failing) */
    double usedKiB() {
        try {
            return ((Number) server.getAttribute(new ObjectName(POOL), "MemoryUsed")).longValue() / 1024.0;
        } catch (Exception e) {
            LOG.warn("direct buffers of {} not read: {}", pid, e.toString());
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (Exception e) {
            // the target is gone: nothing to close
        }
    }
}
