package org.datasandbox.core.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.datasandbox.core.catalog.DatasetDescriptor;
import org.datasandbox.core.catalog.DatasetRecords;

/** Dataset descriptors in the metadata database, one row each (the descriptor as JSON), read on every use. */
final class PostgresDatasetRecords implements DatasetRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;

    PostgresDatasetRecords(Database database) {
        this.database = database;
    }

    @Override
    public Optional<DatasetDescriptor> get(String name) throws IOException {
        List<DatasetDescriptor> found = query("SELECT descriptor FROM datasets WHERE name = ?", name);
        return found.stream().findFirst();
    }

    @Override
    public List<DatasetDescriptor> all() throws IOException {
        return query("SELECT descriptor FROM datasets", null);
    }

    @Override
    public void add(DatasetDescriptor descriptor) throws IOException {
        String json = JSON.writeValueAsString(descriptor);
        int inserted;
        try {
            inserted = database.transaction(connection -> {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO datasets VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                    insert.setString(1, descriptor.name());
                    insert.setString(2, json);
                    return insert.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new IOException("the dataset catalog cannot be written", e);
        }
        if (inserted == 0) {
            throw new IllegalStateException("dataset exists: " + descriptor.name());
        }
    }

    private List<DatasetDescriptor> query(String sql, String name) throws IOException {
        List<String> documents;
        try {
            documents = database.transaction(connection -> {
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    if (name != null) {
                        select.setString(1, name);
                    }
                    List<String> texts = new ArrayList<>();
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            texts.add(rows.getString(1));
                        }
                    }
                    return texts;
                }
            });
        } catch (SQLException e) {
            throw new IOException("the dataset catalog cannot be read", e);
        }
        List<DatasetDescriptor> descriptors = new ArrayList<>();
        for (String document : documents) {
            descriptors.add(JSON.readValue(document, DatasetDescriptor.class));
        }
        return descriptors;
    }
}
