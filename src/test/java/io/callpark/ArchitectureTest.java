package io.callpark;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules: the park domain knows no SIP, media, cache or REST type; packages depend one way, from the
 * API down to the domain, with no cycles.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.callpark");
    }

    @Test
    void theDomainImportsNoSipMediaCacheOrRestType() {
        noClasses().that().resideInAnyPackage("io.callpark.park..", "io.callpark.tenant..", "io.callpark.recall..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "javax.sip..", "javax.sdp..", "gov.nist..", "org.infinispan..", "org.jgroups..",
                        "jakarta.ws.rs..", "jakarta.json..", "jakarta.enterprise..", "javax.sound..",
                        "java.net..", "java.nio.channels..",
                        "io.callpark.sip..", "io.callpark.media..", "io.callpark.store..", "io.callpark.rest..",
                        "io.callpark.flow..", "io.callpark.event..", "io.callpark.notify..", "io.callpark.config..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.callpark.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheApiSeesTheRestPackage() {
        noClasses().that().resideOutsideOfPackage("io.callpark.rest..")
                .should().dependOnClassesThat().resideInAPackage("io.callpark.rest..")
                .check(classes);
    }

    @Test
    void theEdgesKnowNoFlow() {
        noClasses().that().resideInAnyPackage("io.callpark.sip..", "io.callpark.media..", "io.callpark.store..",
                        "io.callpark.event..", "io.callpark.notify..", "io.callpark.config..")
                .should().dependOnClassesThat().resideInAPackage("io.callpark.flow..")
                .check(classes);
    }

    @Test
    void onlyTheSipEdgeBuildsSipMessagesOrTouchesTheStack() {
        noClasses().that().resideOutsideOfPackage("io.callpark.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("gov.nist..", "javax.sip.header..",
                        "javax.sip.address..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("javax.sip.message.MessageFactory")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("javax.sip.SipProvider")
                .check(classes);
    }

    @Test
    void flowsKnowNoCacheButThroughTheStores() {
        noClasses().that().resideInAPackage("io.callpark.flow..")
                .and().doNotHaveSimpleName("NodeAssembly")
                .should().dependOnClassesThat().resideInAnyPackage("org.infinispan..", "org.jgroups..")
                .check(classes);
    }

    @Test
    void storeSipAndMediaKnowEachOtherNot() {
        noClasses().that().resideInAPackage("io.callpark.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.callpark.sip..", "io.callpark.media..",
                        "javax.sip..", "io.callpark.event..", "io.callpark.notify..")
                .check(classes);
        noClasses().that().resideInAPackage("io.callpark.sip..")
                .should().dependOnClassesThat().resideInAnyPackage("io.callpark.store..", "io.callpark.media..",
                        "org.infinispan..")
                .check(classes);
        noClasses().that().resideInAPackage("io.callpark.media..")
                .should().dependOnClassesThat().resideInAnyPackage("io.callpark.store..", "io.callpark.sip..",
                        "javax.sip..", "org.infinispan..")
                .check(classes);
    }
}
