// Run SPARQL queries with Apache Jena ARQ over one N-Triples file, in one JVM.
//
//   java -cp JENA_CLASSPATH QueryBatch.java DATA.nt OUTDIR QUERY.rq...
//
// Writes OUTDIR/<query file name>.json (SELECT, ASK: SPARQL 1.1 JSON results)
// or OUTDIR/<query file name>.nt (CONSTRUCT, DESCRIBE: N-Triples), and
// OUTDIR/<query file name>.error with the message when a query fails or runs
// over its time limit (TIMEOUT_SECONDS, default 120).
// Used by tests/engines.py (the cross-engine comparison of the canned queries).

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;

public class QueryBatch {
    public static void main(String[] args) throws Exception {
        Dataset dataset = DatasetFactory.create();
        RDFDataMgr.read(dataset.getDefaultModel(), args[0], Lang.NTRIPLES);
        Path outdir = Paths.get(args[1]);
        long limit = Long.parseLong(System.getenv().getOrDefault("TIMEOUT_SECONDS", "120"));
        for (int i = 2; i < args.length; i++) {
            Path queryPath = Paths.get(args[i]);
            String name = queryPath.getFileName().toString();
            try {
                Query query = QueryFactory.create(Files.readString(queryPath, StandardCharsets.UTF_8));
                long start = System.nanoTime();
                try (QueryExecution execution = QueryExecutionFactory.create(query, dataset)) {
                    execution.setTimeout(limit, TimeUnit.SECONDS);
                    if (query.isSelectType()) {
                        try (OutputStream out = new FileOutputStream(outdir.resolve(name + ".json").toFile())) {
                            ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                        }
                    } else if (query.isAskType()) {
                        try (OutputStream out = new FileOutputStream(outdir.resolve(name + ".json").toFile())) {
                            ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                        }
                    } else {
                        var model = query.isConstructType() ? execution.execConstruct() : execution.execDescribe();
                        try (OutputStream out = new FileOutputStream(outdir.resolve(name + ".nt").toFile())) {
                            RDFDataMgr.write(out, model, Lang.NTRIPLES);
                        }
                    }
                }
                System.err.printf("%s %d ms%n", name, (System.nanoTime() - start) / 1_000_000);
            } catch (Exception error) {
                Files.writeString(outdir.resolve(name + ".error"), String.valueOf(error.getMessage()), StandardCharsets.UTF_8);
            }
        }
    }
}
