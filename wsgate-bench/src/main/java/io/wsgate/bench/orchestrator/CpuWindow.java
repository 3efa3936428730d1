package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.Window;

import java.util.List;

/** Samples the proxy's, the backend's and this JVM's CPU time at the edges of one measurement window. */
final class CpuWindow implements Window {

    private final Target target;
    private final long backendPid;
    private final long self = ProcessHandle.current().pid();
    private List<Long> pids = List.of();
    private double proxy0;
    private double backend0;
    private double driver0;
    private double jit0;
    /** The proxy's CPU time in the window, ms; NaN when its processes are not known. */
    double proxyMs = Double.NaN;
    /** Of it, its JIT compiler threads'. */
    double jitMs = Double.NaN;
    /** The echo backend's. */
    double backendMs = Double.NaN;
    /** The driver's (this JVM's). */
    double driverMs = Double.NaN;

    CpuWindow(Target target, long backendPid) {
        this.target = target;
        this.backendPid = backendPid;
    }

    @Override
    public void opened() {
        pids = target.pids().get();
        proxy0 = ProcStat.cpuMillis(pids);
        jit0 = target.jvmPid().map(ProcStat::jitMillis).orElse(Double.NaN);
        backend0 = ProcStat.cpuMillis(backendPid);
        driver0 = ProcStat.cpuMillis(self);
    }

    @Override
    public void closed() {
        if (!pids.isEmpty()) {
            proxyMs = ProcStat.cpuMillis(pids) - proxy0;
            jitMs = target.jvmPid().map(ProcStat::jitMillis).orElse(Double.NaN) - jit0;
        }
        backendMs = ProcStat.cpuMillis(backendPid) - backend0;
        driverMs = ProcStat.cpuMillis(self) - driver0;
    }
}
