package dev.cdc.connector.leader;

import dev.cdc.offsets.Lease;
import dev.cdc.offsets.LeaseManager;
import java.util.Optional;

/** The lease operations the leadership loop needs; {@link LeaseManager} in the service, a scripted one in unit tests. */
public interface LeaseStore {

    /** The lease with a new epoch, or empty while another owner holds a valid one. */
    Optional<Lease> tryAcquire();

    /** False when the lease is no longer this owner's at this epoch; throws when the store cannot be reached. */
    boolean renew(Lease lease);

    /** Expires the lease now, if it is still held at this epoch. */
    void release(Lease lease);

    String connectorName();

    static LeaseStore of(LeaseManager manager) {
        return new LeaseStore() {
            @Override
            public Optional<Lease> tryAcquire() {
                return manager.tryAcquire();
            }

            @Override
            public boolean renew(Lease lease) {
                return manager.renew(lease);
            }

            @Override
            public void release(Lease lease) {
                manager.release(lease);
            }

            @Override
            public String connectorName() {
                return manager.connectorName();
            }
        };
    }
}
