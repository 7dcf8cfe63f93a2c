package io.callpark.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The WAR `mvn package` built, deployed as is: tests run against what an operator deploys. */
final class CallparkDeployment {

    private CallparkDeployment() {
    }

    static WebArchive war() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/callpark.war"));
    }
}
