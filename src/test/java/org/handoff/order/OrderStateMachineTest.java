package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrderStateMachineTest {

    @Test
    void theHappyPathNeedsEvidenceAtEachStep() {
        assertThat(OrderStateMachine.next(OrderState.RECEIVED, OrderEvent.ACCEPT)).contains(OrderState.ACCEPTED);
        assertThat(OrderStateMachine.next(OrderState.ACCEPTED, OrderEvent.PAYMENT_CAPTURED)).contains(OrderState.READY_TO_PICK);
        assertThat(OrderStateMachine.next(OrderState.READY_TO_PICK, OrderEvent.PICKED)).contains(OrderState.PICKED);
        assertThat(OrderStateMachine.next(OrderState.PICKED, OrderEvent.HANDED_OVER)).contains(OrderState.HANDED_OVER);
        assertThat(OrderStateMachine.next(OrderState.HANDED_OVER, OrderEvent.CARRIER_SCANNED)).contains(OrderState.SHIPPED);
        assertThat(OrderStateMachine.next(OrderState.SHIPPED, OrderEvent.DELIVERED)).contains(OrderState.DELIVERED);
        assertThat(OrderStateMachine.next(OrderState.DELIVERED, OrderEvent.SETTLED)).contains(OrderState.CLOSED);
    }

    @Test
    void paidIsNotReadyToPickAndHandedOverIsNotShipped() {
        assertThat(OrderStateMachine.next(OrderState.ACCEPTED, OrderEvent.PICKED)).isEmpty();
        assertThat(OrderStateMachine.next(OrderState.RECEIVED, OrderEvent.PAYMENT_CAPTURED)).contains(OrderState.RECEIVED);
        assertThat(OrderStateMachine.next(OrderState.PICKED, OrderEvent.CARRIER_SCANNED)).isEmpty();
        assertThat(OrderStateMachine.next(OrderState.HANDED_OVER, OrderEvent.DELIVERED)).isEmpty();
    }

    @Test
    void cancellationIsAllowedUntilPicked() {
        for (OrderState s : OrderState.values()) {
            boolean allowed = OrderStateMachine.allows(s, OrderEvent.CANCEL_REQUESTED);
            assertThat(allowed).as(s.name()).isEqualTo(s.beforePick());
        }
        assertThatThrownBy(() -> OrderStateMachine.require(OrderState.PICKED, OrderEvent.CANCEL_REQUESTED))
                .isInstanceOf(IllegalTransitionException.class)
                .satisfies(e -> assertThat(((IllegalTransitionException) e).current()).isEqualTo(OrderState.PICKED));
    }

    @Test
    void addressChangesApplyOnlyBeforePick() {
        assertThat(OrderStateMachine.allows(OrderState.READY_TO_PICK, OrderEvent.ADDRESS_CHANGED)).isTrue();
        assertThat(OrderStateMachine.allows(OrderState.PICKED, OrderEvent.ADDRESS_CHANGED)).isFalse();
        assertThat(OrderStateMachine.allows(OrderState.CANCELLED, OrderEvent.ADDRESS_CHANGED)).isFalse();
        assertThat(OrderStateMachine.allows(OrderState.READY_TO_PICK, OrderEvent.LINES_CHANGED)).isTrue();
        assertThat(OrderStateMachine.allows(OrderState.HELD, OrderEvent.LINES_CHANGED)).isTrue();
        assertThat(OrderStateMachine.allows(OrderState.PICKED, OrderEvent.LINES_CHANGED)).isFalse();
    }

    @Test
    void eventsNameTheirEvidence() {
        assertThat(OrderEvent.HANDED_OVER.requiredEvidence()).containsExactly("carrier", "trackingNumber");
        assertThat(OrderEvent.PAYMENT_CAPTURED.requiredEvidence()).containsExactly("paymentReference");
        assertThat(OrderEvent.CANCEL_REQUESTED.requiredEvidence()).containsExactly("reason");
    }
}
