package org.betaas.service.instance.internal.bus;

/**
 * A request to one peer's VM Manager (payload of a {@code request} message).
 *
 * @param correlationId chosen by the requester, echoed in the reply
 * @param op            {@code deploy}, {@code stop}, {@code resume}, {@code destroy} or {@code status}
 * @param replyTo       the topic to answer on
 * @param template      template to deploy ({@code deploy})
 * @param driver        driver to deploy on, null for the peer's choice ({@code deploy})
 * @param vmId          the VM ({@code stop}, {@code resume}, {@code destroy})
 * @param requester     who asked on the requesting gateway (for the peer's reasons)
 */
public record PeerRequest(String correlationId, String op, String replyTo, String template, String driver,
                          String vmId, String requester) {

    public static final String DEPLOY = "deploy";
    public static final String STOP = "stop";
    public static final String RESUME = "resume";
    public static final String DESTROY = "destroy";
    public static final String STATUS = "status";
}
