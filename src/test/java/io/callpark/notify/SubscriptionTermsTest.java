package io.callpark.notify;

import io.callpark.notify.SubscriptionTerms.Ended;
import io.callpark.notify.SubscriptionTerms.Granted;
import io.callpark.notify.SubscriptionTerms.TooBrief;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubscriptionTermsTest {

    private final SubscriptionTerms terms = SubscriptionTerms.DIALOG_PACKAGE;

    @Test
    void noExpiresGetsTheDialogPackagesHour() {
        assertEquals(new Granted(3600), terms.decide(OptionalInt.empty()));
    }

    @Test
    void aDurationInRangeIsGrantedAndALongerOneCut() {
        assertEquals(new Granted(300), terms.decide(OptionalInt.of(300)));
        assertEquals(new Granted(60), terms.decide(OptionalInt.of(60)));
        assertEquals(new Granted(3600), terms.decide(OptionalInt.of(86_400)));
    }

    @Test
    void zeroEndsTheSubscriptionAfterOneNotify() {
        assertEquals(new Ended(), terms.decide(OptionalInt.of(0)));
    }

    @Test
    void aTooShortAskIsRefusedNamingTheShortestGranted() {
        assertEquals(new TooBrief(60), terms.decide(OptionalInt.of(5)));
        assertEquals(new TooBrief(60), terms.decide(OptionalInt.of(59)));
    }

    @Test
    void subscriptionStatesAreWrittenAsRfc6665Says() {
        assertEquals("active;expires=120", SubscriptionTerms.active(120));
        assertEquals("active;expires=0", SubscriptionTerms.active(-3));
        assertEquals("terminated;reason=timeout", SubscriptionTerms.terminated(true));
        assertEquals("terminated", SubscriptionTerms.terminated(false));
    }

    @Test
    void inconsistentTermsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SubscriptionTerms(0, 3600, 3600));
        assertThrows(IllegalArgumentException.class, () -> new SubscriptionTerms(60, 100, 3600));
    }
}
