package dev.messenger.desktop.people;

import dev.messenger.api.v1.User;
import dev.messenger.desktop.connection.MessengerApi;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Finding someone to write to: the query as typed, the people it finds (never the signed-in user),
 * and the choice of one of them. Only the answer to the query still typed is shown, however late
 * the answers arrive. State changes only on the UI thread.
 */
public final class SearchViewModel {
    private final MessengerApi api;
    private final String myId;
    private final Executor io;
    private final Executor ui;
    private final Consumer<User> onChosen;
    private final ReadOnlyStringWrapper query = new ReadOnlyStringWrapper(this, "query", "");
    private final ReadOnlyBooleanWrapper searching = new ReadOnlyBooleanWrapper(this, "searching");
    private final ObservableList<User> results = FXCollections.observableArrayList();
    private final ObservableList<User> resultsView = FXCollections.unmodifiableObservableList(results);

    /**
     * @param myId     the signed-in user, whom the results leave out
     * @param onChosen told (on the UI thread) whom the user chose to write to
     */
    public SearchViewModel(MessengerApi api, String myId, Executor io, Executor ui, Consumer<User> onChosen) {
        this.api = api;
        this.myId = myId;
        this.io = io;
        this.ui = ui;
        this.onChosen = onChosen;
        searching.bind(query.isNotEmpty());
        query.addListener((obs, was, now) -> find(now.strip()));
    }

    /** The text in the search field, as typed. */
    public ReadOnlyStringProperty queryProperty() {
        return query.getReadOnlyProperty();
    }

    /** Whether anything is typed: the results are shown instead of the conversations then, even when nobody is found. */
    public ReadOnlyBooleanProperty searchingProperty() {
        return searching.getReadOnlyProperty();
    }

    /** Who the query finds; empty while nothing is typed. */
    public ObservableList<User> results() {
        return resultsView;
    }

    /** The user typed in the search field: looks up who the text, without surrounding spaces, finds. */
    public void search(String text) {
        query.set(text);
    }

    /** Back to the conversations: the query and its results are gone. */
    public void clear() {
        query.set("");
    }

    /** The user picked this person to write to: the search is over. */
    public void choose(User person) {
        clear();
        onChosen.accept(person);
    }

    /** Enter in the search field picks the first person found, if anybody was. */
    public void chooseFirst() {
        if (!results.isEmpty()) {
            choose(results.getFirst());
        }
    }

    private void find(String wanted) {
        if (wanted.isEmpty()) {
            results.clear();
            return;
        }
        io.execute(() -> {
            try {
                List<User> found = api.searchUsers(wanted);
                ui.execute(() -> {
                    if (wanted.equals(query.get().strip())) {
                        results.setAll(found.stream().filter(user -> !user.getId().equals(myId)).toList());
                    }
                });
            } catch (RuntimeException e) {
                // A query the server refuses (e.g. a character usernames cannot have) finds nobody.
                ui.execute(() -> {
                    if (wanted.equals(query.get().strip())) {
                        results.clear();
                    }
                });
            }
        });
    }
}
