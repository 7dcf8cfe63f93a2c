package io.callpark.store.schema;

import io.callpark.tenant.ParkingLot;
import org.infinispan.protostream.annotations.ProtoAdapter;
import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;

@ProtoAdapter(ParkingLot.class)
public final class ParkingLotAdapter {

    @ProtoFactory
    ParkingLot create(String name, int first, int last, String code) {
        return new ParkingLot(name, first, last, code);
    }

    @ProtoField(1)
    String getName(ParkingLot lot) {
        return lot.name();
    }

    @ProtoField(number = 2, defaultValue = "0")
    int getFirst(ParkingLot lot) {
        return lot.first();
    }

    @ProtoField(number = 3, defaultValue = "0")
    int getLast(ParkingLot lot) {
        return lot.last();
    }

    @ProtoField(4)
    String getCode(ParkingLot lot) {
        return lot.code();
    }
}
