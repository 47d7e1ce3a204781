package org.handoff;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of the business (state machine, validation rules, ATS, mapping windows) stay plain Java:
 * no Camel, no SQL, so they are unit-tested alone and read without knowing the integration framework.
 * Camel lives in the adapters (routes' beans, APIs, modules, health checks).
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.handoff");

    @Test
    void mappingsDoNotDependOnCamelOrSql() {
        noClasses().that().resideInAPackage("org.handoff.mapping..")
                .and().haveSimpleNameNotEndingWith("HealthCheck")
                .and().haveSimpleNameNotEndingWith("Module")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void validationRulesDoNotDependOnCamel() {
        noClasses().that().resideInAPackage("org.handoff.order.validation..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..")
                .check(CLASSES);
    }

    @Test
    void stateMachineAndCanonicalModelDoNotDependOnCamelOrSql() {
        noClasses().that().haveFullyQualifiedName("org.handoff.order.OrderStateMachine")
                .or().haveFullyQualifiedName("org.handoff.order.CanonicalOrder")
                .or().haveFullyQualifiedName("org.handoff.order.Order")
                .or().haveFullyQualifiedName("org.handoff.order.OrderState")
                .or().haveFullyQualifiedName("org.handoff.inventory.AtsRule")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "java.sql..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void onlyAdaptersTouchCamelsExchange() {
        noClasses().that().resideInAnyPackage("org.handoff.order..", "org.handoff.inventory..")
                .and().haveSimpleNameNotEndingWith("Api")
                .and().haveSimpleNameNotEndingWith("Module")
                .and().haveSimpleNameNotEndingWith("Route")
                .and().haveSimpleNameNotEndingWith("Routes")
                .and().haveSimpleNameNotContaining("Webhook")
                .and().haveSimpleNameNotContaining("Push")
                .and().haveSimpleNameNotContaining("Intake")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.apache.camel.Exchange")
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
