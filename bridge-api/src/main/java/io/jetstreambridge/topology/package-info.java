/**
 * Subjects, stream and consumer names derived from the application and destination names, API:
 * {@link io.jetstreambridge.topology.Topology} and the naming rules of {@link io.jetstreambridge.topology.NameRules}.
 *
 * <p>Compatibility is promised: the names are part of the wire contract between applications.
 */
package io.jetstreambridge.topology;
