import org.apache.jena.graph.Graph;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;

/**
 * Time Jena SHACL on one data file: parsing, then RUNS validations in the same JVM (the later ones JIT-warm).
 * Usage: java -cp JENA ShaclTime.java SHAPES DATA RUNS
 * Prints "load SECONDS", then "validate SECONDS RESULTS" per run.
 */
public class ShaclTime {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        Graph data = RDFDataMgr.loadGraph(args[1]);
        System.out.println("load " + (System.nanoTime() - start) / 1e9);
        for (int run = 0; run < Integer.parseInt(args[2]); run++) {
            long begin = System.nanoTime();
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            System.out.println("validate " + (System.nanoTime() - begin) / 1e9 + " " + report.getEntries().size());
        }
    }
}
