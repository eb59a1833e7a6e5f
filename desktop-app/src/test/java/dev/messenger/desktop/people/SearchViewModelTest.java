package dev.messenger.desktop.people;

import dev.messenger.api.v1.User;
import dev.messenger.desktop.FakeApi;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchViewModelTest {
    private final User me = FakeApi.user("me", "me");
    private final User alice = FakeApi.user("alice", "alice");
    private final User albert = FakeApi.user("albert", "albert");
    private final User bob = FakeApi.user("bob", "bob");
    private final User melissa = FakeApi.user("melissa", "melissa");
    private final FakeApi api = new FakeApi(me);
    private final List<User> chosen = new ArrayList<>();
    private SearchViewModel search = search(Runnable::run);

    SearchViewModelTest() {
        for (User user : List.of(alice, albert, bob, melissa)) {
            api.users.put(user.getId(), user);
        }
    }

    private SearchViewModel search(Executor io) {
        return new SearchViewModel(api, me.getId(), io, Runnable::run, chosen::add);
    }

    private List<String> found() {
        return search.results().stream().map(User::getUsername).sorted().toList();
    }

    @Test
    void findsPeopleByTheStartOfTheirUsernameButNeverTheSignedInUser() {
        search.search("me");
        assertEquals(List.of("melissa"), found());
        search.search("al");
        assertEquals(List.of("albert", "alice"), found());
    }

    @Test
    void spacesAroundTheQueryDoNotCount() {
        search.search("  bo ");
        assertEquals(List.of("bob"), found());
        assertEquals("  bo ", search.queryProperty().get(), "the field keeps what was typed");
    }

    @Test
    void resultsShowInsteadOfTheConversationsWhileAnythingIsTyped() {
        assertFalse(search.searchingProperty().get());
        search.search("bo");
        assertTrue(search.searchingProperty().get());
        search.search("   ");
        assertTrue(search.searchingProperty().get(), "spaces alone still show the (empty) results");
        assertEquals(List.of(), found());
        search.clear();
        assertFalse(search.searchingProperty().get());
        assertEquals("", search.queryProperty().get());
    }

    @Test
    void aQueryTheServerRefusesFindsNobody() {
        search.search("bo");
        assertEquals(List.of("bob"), found());
        api.searchFailures.add(Status.INVALID_ARGUMENT);
        search.search("bo\u0000");
        assertEquals(List.of(), found());
        assertTrue(search.searchingProperty().get());
    }

    @Test
    void onlyTheAnswerToTheQueryStillTypedIsShown() {
        Deque<Runnable> network = new ArrayDeque<>();
        search = search(network::add);
        search.search("a");
        search.search("ali");
        network.removeLast().run();
        assertEquals(List.of("alice"), found());
        network.removeLast().run();
        assertEquals(List.of("alice"), found(), "the late answer for \"a\" (Albert too) is not shown");
    }

    @Test
    void anAnswerArrivingAfterTheSearchWasClearedIsNotShown() {
        Deque<Runnable> network = new ArrayDeque<>();
        search = search(network::add);
        search.search("bo");
        search.clear();
        network.removeFirst().run();
        assertEquals(List.of(), found());
    }

    @Test
    void choosingSomeoneEndsTheSearchAndHandsThemOn() {
        search.search("bo");
        search.choose(search.results().getFirst());
        assertEquals(List.of(bob), chosen);
        assertEquals("", search.queryProperty().get());
        assertEquals(List.of(), found());
        assertFalse(search.searchingProperty().get());
    }

    @Test
    void enterChoosesTheFirstPersonFoundAndNobodyWhenNobodyWasFound() {
        search.search("zz");
        search.chooseFirst();
        assertEquals(List.of(), chosen);
        assertEquals("zz", search.queryProperty().get());

        search.search("bo");
        search.chooseFirst();
        assertEquals(List.of(bob), chosen);
    }

    @Test
    void theResultsChangeOnlyThroughTheViewModel() {
        search.search("bo");
        assertThrows(UnsupportedOperationException.class, () -> search.results().add(alice));
        assertThrows(UnsupportedOperationException.class, () -> search.results().clear());
    }
}
