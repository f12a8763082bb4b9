package dev.pypianalytics.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which POSTed documents are a router's entity fetch, whose answer a router may cache. */
class FederationTests {

    @Test
    void onlyDocumentsSelectingEntitiesAloneAreEntityFetches() {
        assertThat(Federation.entitiesOnly("query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { name } } }")).isTrue();
        assertThat(Federation.entitiesOnly("query($r: [_Any!]!) { __typename e: _entities(representations: $r) { __typename } }")).isTrue();
        // Anything else at the top, a fragment spread (which could hide other fields), a mutation, an unparsable text.
        assertThat(Federation.entitiesOnly("query($r: [_Any!]!) { _entities(representations: $r) { __typename } stats { totalDownloads } }")).isFalse();
        assertThat(Federation.entitiesOnly("query($r: [_Any!]!) { ...F } fragment F on Query { _entities(representations: $r) { __typename } }")).isFalse();
        assertThat(Federation.entitiesOnly("query A($r: [_Any!]!) { _entities(representations: $r) { __typename } } query B { stats { days } }")).isFalse();
        assertThat(Federation.entitiesOnly("mutation($r: [_Any!]!) { _entities(representations: $r) { __typename } }")).isFalse();
        assertThat(Federation.entitiesOnly("{ _entities(")).isFalse();
        assertThat(Federation.entitiesOnly("{ __typename }")).isFalse();
        assertThat(Federation.entitiesOnly(null)).isFalse();
    }
}
