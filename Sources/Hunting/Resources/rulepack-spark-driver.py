"""rulepack's Spark driver: runs under spark-submit and serves `rulepack hunt/test --engine spark`.

rulepack starts it as `spark-submit [--master M] rulepack-spark-driver.py PORT TOKEN`. The driver
connects back to 127.0.0.1:PORT, sends TOKEN, then answers one JSON request per line:

  {"op": "load", "table": T, "path": P, "format": "parquet|json|csv", "columns": [[name, type]...]}
      -> {"ok": true, "empty": bool, "ignored": [column...]}   (events stay where they are; Spark reads them)
  {"op": "create", "tables": [{"name": T, "columns": [[name, type]...]}]}
      -> {"ok": true}                                           (empty views for tables not loaded)
  {"op": "insert", "table": T, "columns": [[name, type]...], "rows": [[text or null...]...]}
      -> {"ok": true}                                           (small inline tables, for detection tests)
  {"op": "reset"} -> {"ok": true}                               (drops every table)
  {"op": "query", "sql": S} -> {"columns": [...], "types": [...], "rows": [[value...]...]}
  {"op": "quit"}

Any failure is {"error": message}, and the driver goes on with the next request. Only the query's
result rows travel back to rulepack; the events are read by Spark's executors wherever they run.
"""
import json
import socket
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

# Each table's frame so far, so a second load or insert adds to the first.
FRAMES = {}

SPARK_TYPES = {"datetime": "timestamp", "long": "bigint", "int": "int", "bool": "boolean", "real": "double"}


def spark_type(kind):
    return SPARK_TYPES.get(kind, "string")


def quoted(name):
    return "`" + name.replace("`", "``") + "`"


def typed_column(name, kind, present, source_kind):
    """The catalogue column `name` from a frame's column, cast to the catalogue's type.

    Text is cast with try_cast, so a value that is not of its column's type becomes null (as in
    the SQLite hunt) instead of failing the whole query under ANSI mode. Nested values (a
    Parquet struct or array in a dynamic column) become their JSON text, as the SQL expects.
    """
    if not present:
        return F.lit(None).cast(spark_type(kind)).alias(name)
    column = F.col(quoted(name))
    if source_kind in ("struct", "array", "map"):
        column = F.to_json(column)
    if kind in SPARK_TYPES:
        column = F.expr(f"try_cast({quoted(name)} AS {spark_type(kind)})") if source_kind in ("string", None) else column.cast(spark_type(kind))
    elif source_kind not in ("string", "struct", "array", "map"):
        column = column.cast("string")
    return column.alias(name)


def load(spark, request):
    table, path, fmt, columns = request["table"], request["path"], request["format"], request["columns"]
    if fmt == "csv":
        # RFC 4180: doubled quotes inside quoted fields, which may span lines.
        frame = (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
                 .option("inferSchema", False).csv(path))
    elif fmt == "json":
        # Every field as text: nested values arrive as their JSON, numbers as their digits.
        schema = ", ".join(f"{quoted(name)} string" for name, _ in columns)
        frame = spark.read.schema(schema).json(path)
    elif fmt == "parquet":
        frame = spark.read.parquet(path)
    else:
        raise ValueError(f"unknown events format {fmt}")
    source_types = {field.name: field.dataType.typeName() for field in frame.schema.fields}
    names = {name for name, _ in columns}
    selected = []
    for name, kind in columns:
        if fmt == "csv" and kind == "string" and name in source_types:
            # An empty CSV field is KQL's empty string, as the SQLite hunt loads it.
            selected.append(F.coalesce(F.col(quoted(name)), F.lit("")).alias(name))
        else:
            selected.append(typed_column(name, kind, name in source_types, source_types.get(name)))
    typed = frame.select(*selected)
    if table in FRAMES:
        typed = FRAMES[table].unionByName(typed)
    FRAMES[table] = typed
    typed.createOrReplaceTempView(table)
    ignored = sorted(name for name in source_types if name not in names) if fmt != "json" else []
    return {"ok": True, "empty": typed.isEmpty(), "ignored": ignored}


def create(spark, request):
    for table in request["tables"]:
        if table["name"] in FRAMES:
            continue
        schema = ", ".join(f"{quoted(name)} {spark_type(kind)}" for name, kind in table["columns"])
        FRAMES[table["name"]] = spark.createDataFrame([], schema)
        FRAMES[table["name"]].createOrReplaceTempView(table["name"])
    return {"ok": True}


def reset(spark, request):
    for table in FRAMES:
        spark.catalog.dropTempView(table)
    FRAMES.clear()
    return {"ok": True}


def insert(spark, request):
    columns = request["columns"]
    text_schema = ", ".join(f"{quoted(name)} string" for name, _ in columns)
    frame = spark.createDataFrame([tuple(row) for row in request["rows"]], text_schema)
    typed = frame.select(*[typed_column(name, kind, True, "string") for name, kind in columns])
    if request["table"] in FRAMES:
        typed = FRAMES[request["table"]].unionByName(typed)
    FRAMES[request["table"]] = typed
    typed.createOrReplaceTempView(request["table"])
    return {"ok": True}


def result_value(value):
    """A result value as JSON: instants as ISO-8601 UTC (the session and process run in UTC)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text + "Z" if "T" in text and not text.endswith("Z") and "+" not in text[10:] else text
    if isinstance(value, (list, tuple)):
        return [result_value(item) for item in value]
    if isinstance(value, dict):
        return json.dumps({str(k): result_value(v) for k, v in value.items()}, sort_keys=True)
    if hasattr(value, "as_tuple"):  # decimal.Decimal
        return float(value)
    return str(value)


def query(spark, request):
    frame = spark.sql(request["sql"])
    rows = frame.collect()
    return {"columns": frame.columns,
            "types": [field.dataType.typeName() for field in frame.schema.fields],
            "rows": [[result_value(value) for value in row] for row in rows]}


def first_line(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main():
    port, token = int(sys.argv[1]), sys.argv[2]
    spark = (SparkSession.builder.appName("rulepack")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    handlers = {"load": load, "create": create, "reset": reset, "insert": insert, "query": query}
    with socket.create_connection(("127.0.0.1", port)) as connection:
        stream = connection.makefile("rwb")
        stream.write((json.dumps({"token": token}) + "\n").encode())
        stream.flush()
        for line in stream:
            request = json.loads(line)
            if request.get("op") == "quit":
                break
            try:
                answer = handlers[request["op"]](spark, request)
            except Exception as error:  # every Spark error goes back to rulepack, which reports it per rule
                answer = {"error": first_line(error)}
            stream.write((json.dumps(answer, ensure_ascii=False) + "\n").encode())
            stream.flush()
    spark.stop()


if __name__ == "__main__":
    main()
