package io.callpark.store.schema;

import io.callpark.park.FeatureCodes;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(FeatureCodes.class)
public final class FeatureCodesAdapter {

    @ProtoFactory
    FeatureCodes create(String park, String retrieve, String groupPark) {
        return new FeatureCodes(park, retrieve, groupPark);
    }

    @ProtoField(1)
    String getPark(FeatureCodes codes) {
        return codes.park();
    }

    @ProtoField(2)
    String getRetrieve(FeatureCodes codes) {
        return codes.retrieve();
    }

    @ProtoField(3)
    String getGroupPark(FeatureCodes codes) {
        return codes.groupPark();
    }
}
