package io.callpark.flow;

/**
 * This node as the flows need it.
 *
 * @param name    its name in the cluster: the owner recorded on the music streams and claims it holds
 * @param address the address its SDP names (where its RTP ports are bound)
 * @param mediaCapacity most calls it parks (plays music to) at once: past it a park is sent to another node
 */
record ThisNode(String name, String address, int mediaCapacity) {
}
