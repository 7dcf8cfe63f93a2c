package io.callpark.store.schema;

import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

@ProtoAdapter(MediaBinding.class)
public final class MediaBindingAdapter {

    @ProtoFactory
    MediaBinding create(String node, int localPort, String remoteHost, int remotePort, List<Integer> codecs,
                        int telephoneEvent, MediaDirection callerSends) {
        return new MediaBinding(node, localPort, remoteHost, remotePort, codecs, telephoneEvent, callerSends);
    }

    @ProtoField(1)
    String getNode(MediaBinding media) {
        return media.node();
    }

    @ProtoField(number = 2, defaultValue = "0")
    int getLocalPort(MediaBinding media) {
        return media.localPort();
    }

    @ProtoField(3)
    String getRemoteHost(MediaBinding media) {
        return media.remoteHost();
    }

    @ProtoField(number = 4, defaultValue = "0")
    int getRemotePort(MediaBinding media) {
        return media.remotePort();
    }

    @ProtoField(5)
    List<Integer> getCodecs(MediaBinding media) {
        return media.codecs();
    }

    /** -1 when the caller offered none */
    @ProtoField(number = 6, defaultValue = "0")
    int getTelephoneEvent(MediaBinding media) {
        return media.telephoneEvent();
    }

    @ProtoField(7)
    MediaDirection getCallerSends(MediaBinding media) {
        return media.callerSends();
    }
}
