package echolab.common;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The virtual-thread scheduler's counts as a JDK Flight Recorder event, so that a tool recording a server
 * with JFR reads them beside the JDK's own virtual-thread events: at every period the recording asks for,
 * the scheduler's parallelism, its carrier threads, and the virtual threads mounted on a carrier or queued
 * for one, as the JDK's VirtualThreadSchedulerMXBean (JDK 24 and later) gives them. Registered only in a JVM
 * started with a recording, so a server run by hand pays nothing.
 */
@Name(SchedulerEvent.NAME)
@Label("Virtual Thread Scheduler")
@Category("echo-lab")
@Description("The virtual-thread scheduler's counts, from its MXBean")
final class SchedulerEvent extends Event {

    static final String NAME = "echolab.VirtualThreadScheduler";

    @Label("Parallelism")
    int parallelism;

    @Label("Carrier Threads")
    int carriers;

    @Label("Mounted Virtual Threads")
    int mounted;

    @Label("Queued Virtual Threads")
    long queued;

    private SchedulerEvent() {
    }

    /** Registers the periodic event when this JVM records with JFR and its JDK has the scheduler's MXBean. */
    static void registerIfRecording() {
        if (!FlightRecorder.isAvailable() || !FlightRecorder.isInitialized()) {
            return;
        }
        MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
        ObjectName scheduler;
        try {
            scheduler = new ObjectName("jdk.management:type=VirtualThreadScheduler");
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
        if (!beans.isRegistered(scheduler)) {
            return;                                      // JDK 21 to 23: no such MXBean
        }
        FlightRecorder.addPeriodicEvent(SchedulerEvent.class, () -> {
            SchedulerEvent e = new SchedulerEvent();
            try {
                e.parallelism = (Integer) beans.getAttribute(scheduler, "Parallelism");
                e.carriers = (Integer) beans.getAttribute(scheduler, "PoolSize");
                e.mounted = (Integer) beans.getAttribute(scheduler, "MountedVirtualThreadCount");
                e.queued = ((Number) beans.getAttribute(scheduler, "QueuedVirtualThreadCount")).longValue();
            } catch (JMException ex) {
                return;                                  // not readable this period: no event rather than a wrong one
            }
            e.commit();
        });
    }
}
