# clean-demo.sh - a copy of the demo without the rows it plants to be
# rejected, for tests that need a complete run. Source it, then
#   clean_demo XCHECK DEST
# copies fixtures/demo ($demo) to DEST, runs it once, deletes from each file
# the lines its reject files name (gzip files are rewritten) and the
# max_rejects lines that allowed them, and declares that social insurance
# covers every month since 2000 (who has no row earned nothing), so that
# every rule can judge every household.
clean_demo() {
    local xcheck=$1 dest=$2 scratch
    scratch=$(mktemp -d)
    cp -r "$demo" "$dest"
    "$xcheck" run -q -c "$dest/xcheck.ini" -o "$scratch/out" >/dev/null 2>&1
    local f
    for f in "$scratch"/out/rejects/*.csv; do
        [ -f "$f" ] || continue
        # file,line,...: the file is a path without commas here
        tail -n +2 "$f" | cut -d, -f1,2 | sort -u | while IFS=, read -r path line; do
            echo "$line" >>"$scratch/$(basename "$path").lines"
        done
    done
    for f in "$scratch"/*.lines; do
        [ -f "$f" ] || continue
        local name target expr
        name=$(basename "$f" .lines)
        target=$dest/$name
        expr=$(sort -n "$f" | sed 's/$/d/' | paste -sd';')
        case $name in
        *.gz) gzip -dc "$target" | LC_ALL=C sed "$expr" | gzip -n >"$target.new" && mv "$target.new" "$target" ;;
        *) LC_ALL=C sed -i "$expr" "$target" ;;
        esac
    done
    sed -i -e '/^max_rejects/d' -e 's/^covers *=.*/covers = 2000-01..2026-06/' "$dest/xcheck.ini"
    rm -rf "$scratch"
}
