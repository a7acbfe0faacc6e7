package io.jetstreambridge.testing.jta;

import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A persistence unit described in code, as a server builds one from {@code persistence.xml}: exactly the listed
 * entity classes (nothing scanned, no mapping file), EclipseLink, no bean validation, no class transformers (the
 * units turn weaving off). Either {@link #jta JTA} on a given data source, or {@link #resourceLocal RESOURCE_LOCAL}
 * connected by the JDBC properties among {@code properties}.
 */
public record TestPersistenceUnit(String unitName, PersistenceUnitTransactionType transactionType,
                                  List<String> managedClassNames, DataSource jtaDataSource,
                                  SharedCacheMode sharedCacheMode, Properties properties, URL rootUrl,
                                  ClassLoader classLoader) implements PersistenceUnitInfo {

    /** A JTA unit on {@code jtaDataSource}. */
    public static TestPersistenceUnit jta(String unitName, List<String> managedClassNames, DataSource jtaDataSource,
                                          SharedCacheMode sharedCacheMode, Properties properties, URL rootUrl,
                                          ClassLoader classLoader) {
        return new TestPersistenceUnit(unitName, PersistenceUnitTransactionType.JTA, managedClassNames,
                jtaDataSource, sharedCacheMode, properties, rootUrl, classLoader);
    }

    /** A RESOURCE_LOCAL unit without a shared cache, connected by the JDBC properties among {@code properties}. */
    public static TestPersistenceUnit resourceLocal(String unitName, List<String> managedClassNames,
                                                    Properties properties, URL rootUrl, ClassLoader classLoader) {
        return new TestPersistenceUnit(unitName, PersistenceUnitTransactionType.RESOURCE_LOCAL, managedClassNames,
                null, SharedCacheMode.NONE, properties, rootUrl, classLoader);
    }

    /**
     * {@code target/<directory>}, created empty if missing, as a unit's root: nothing to scan, so EclipseLink finds
     * no stray {@code META-INF/orm.xml} there.
     */
    public static URL emptyRootUrl(String directory) {
        try {
            Path root = Path.of("target", directory);
            Files.createDirectories(root);
            return root.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create target/" + directory, e);
        }
    }

    @Override
    public String getPersistenceUnitName() {
        return unitName;
    }

    @Override
    public String getPersistenceProviderClassName() {
        return org.eclipse.persistence.jpa.PersistenceProvider.class.getName();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return transactionType;
    }

    @Override
    public DataSource getJtaDataSource() {
        return jtaDataSource;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return null;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    @Override
    public URL getPersistenceUnitRootUrl() {
        return rootUrl;
    }

    @Override
    public List<String> getManagedClassNames() {
        return managedClassNames;
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return sharedCacheMode;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {
        // weaving is off: EclipseLink registers no transformer that matters
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return classLoader;
    }
}
