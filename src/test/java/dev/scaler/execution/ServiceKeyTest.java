package dev.scaler.execution;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceKeyTest {

    @Test
    void lockFileNamesAreReadableSafeAndNeverShared() {
        ServiceKey web = ServiceKey.compose("shop", "web");
        ServiceKey fleet = new ServiceKey("fleet", "/srv/inventories/prod", "web");
        ServiceKey odd = new ServiceKey("fleet", "/srv/../etc", "a b/c");

        assertThat(web.lockFileName()).matches("compose-shop-web-[0-9a-f]{8}\\.lock");
        assertThat(fleet.lockFileName()).matches("fleet-prod-web-[0-9a-f]{8}\\.lock");
        assertThat(odd.lockFileName()).matches("[A-Za-z0-9._-]+\\.lock").doesNotContain("/");
        assertThat(new ServiceKey("fleet", "/x", "a b").lockFileName()).as("same readable part, other key")
                .isNotEqualTo(new ServiceKey("fleet", "/x", "a_b").lockFileName());
        assertThat(new ServiceKey("swarm", "", "shop_web").lockFileName()).startsWith("swarm-shop_web-");
        assertThat(web).hasToString("compose shop/web");
    }
}
