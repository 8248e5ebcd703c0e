// Cross-checks the log module against golang.org/x/mod/sumdb/tlog and note, an independent
// implementation of RFC 6962 hashing, tiles and signed notes. It reads a request (JSON) naming
// a tiled log the TypeScript writer produced, the proofs and notes it made, and answers with
// what Go concludes and with proofs and notes of its own for the TypeScript side to verify.
package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type proofCase struct {
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Proof []string `json:"proof"`
}

type consistencyCase struct {
	First     int64    `json:"first"`
	FirstRoot string   `json:"firstRoot"`
	Proof     []string `json:"proof"`
}

type request struct {
	Dir           string            `json:"dir"`
	VerifierKey   string            `json:"verifierKey"`
	Checkpoint    string            `json:"checkpoint"`
	Leaves        []string          `json:"leaves"`
	Inclusion     []proofCase       `json:"inclusion"`
	Consistency   []consistencyCase `json:"consistency"`
	TamperedNotes []string          `json:"tamperedNotes"`
	NoteToSign    string            `json:"noteToSign"`
}

type response struct {
	CheckpointOpened  bool              `json:"checkpointOpened"`
	TamperedAccepted  int               `json:"tamperedAccepted"`
	Roots             []string          `json:"roots"`
	InclusionMatches  int               `json:"inclusionMatches"`
	InclusionAccepted int               `json:"inclusionAccepted"`
	ConsistencyMatch  int               `json:"consistencyMatches"`
	ConsistencyOK     int               `json:"consistencyAccepted"`
	GoInclusion       []proofCase       `json:"goInclusion"`
	GoConsistency     []consistencyCase `json:"goConsistency"`
	GoSignerKey       string            `json:"goSignerKey"`
	GoVerifierKey     string            `json:"goVerifierKey"`
	GoNote            string            `json:"goNote"`
	TreeHashFromTiles string            `json:"treeHashFromTiles"`
}

type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return 8 }

func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		// Go's sumdb paths carry the height (tile/8/L/N); C2SP tlog-tiles paths do not.
		p := strings.Replace(t.Path(), "tile/8/", "tile/", 1)
		data, err := os.ReadFile(filepath.Join(d.dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (d dirTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func hashOf(s string) tlog.Hash {
	b, err := base64.StdEncoding.DecodeString(s)
	must(err)
	var h tlog.Hash
	copy(h[:], b)
	return h
}

func b64(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

func encodeProof(p []tlog.Hash) []string {
	out := []string{}
	for _, h := range p {
		out = append(out, b64(h))
	}
	return out
}

func decodeProof(p []string) []tlog.Hash {
	out := []tlog.Hash{}
	for _, s := range p {
		out = append(out, hashOf(s))
	}
	return out
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	must(err)
	var req request
	must(json.Unmarshal(raw, &req))
	var res response

	verifier, err := note.NewVerifier(req.VerifierKey)
	must(err)
	opened, err := note.Open([]byte(req.Checkpoint), note.VerifierList(verifier))
	must(err)
	res.CheckpointOpened = true
	lines := strings.Split(opened.Text, "\n")
	size, err := strconv.ParseInt(lines[1], 10, 64)
	must(err)
	tree := tlog.Tree{N: size, Hash: hashOf(lines[2])}
	for _, tampered := range req.TamperedNotes {
		if _, err := note.Open([]byte(tampered), note.VerifierList(verifier)); err == nil {
			res.TamperedAccepted++
		}
	}

	// Tree hashes of every prefix, from the leaves alone, in Go's own storage layout.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	res.Roots = []string{}
	for i, leaf := range req.Leaves {
		data, err := base64.StdEncoding.DecodeString(leaf)
		must(err)
		hashes, err := tlog.StoredHashes(int64(i), data, reader)
		must(err)
		stored = append(stored, hashes...)
		root, err := tlog.TreeHash(int64(i+1), reader)
		must(err)
		res.Roots = append(res.Roots, b64(root))
	}

	// The TypeScript tiles, read and verified by Go against the signed checkpoint.
	tiles := tlog.TileHashReader(tree, dirTiles{req.Dir})
	root, err := tlog.TreeHash(tree.N, tiles)
	must(err)
	res.TreeHashFromTiles = b64(root)
	for _, c := range req.Inclusion {
		proof, err := tlog.ProveRecord(tree.N, c.Index, tiles)
		must(err)
		if strings.Join(encodeProof(proof), ",") == strings.Join(c.Proof, ",") {
			res.InclusionMatches++
		}
		leaf, err := tiles.ReadHashes([]int64{tlog.StoredHashIndex(0, c.Index)})
		must(err)
		if tlog.CheckRecord(decodeProof(c.Proof), tree.N, tree.Hash, c.Index, leaf[0]) == nil {
			res.InclusionAccepted++
		}
		res.GoInclusion = append(res.GoInclusion, proofCase{Index: c.Index, Size: tree.N, Proof: encodeProof(proof)})
	}
	for _, c := range req.Consistency {
		proof, err := tlog.ProveTree(tree.N, c.First, tiles)
		must(err)
		if strings.Join(encodeProof(proof), ",") == strings.Join(c.Proof, ",") {
			res.ConsistencyMatch++
		}
		if tlog.CheckTree(decodeProof(c.Proof), tree.N, tree.Hash, c.First, hashOf(c.FirstRoot)) == nil {
			res.ConsistencyOK++
		}
		res.GoConsistency = append(res.GoConsistency, consistencyCase{First: c.First, FirstRoot: c.FirstRoot, Proof: encodeProof(proof)})
	}

	skey, vkey, err := note.GenerateKey(rand.Reader, "go.example/log")
	must(err)
	signer, err := note.NewSigner(skey)
	must(err)
	signed, err := note.Sign(&note.Note{Text: req.NoteToSign}, signer)
	must(err)
	res.GoSignerKey, res.GoVerifierKey, res.GoNote = skey, vkey, string(signed)

	out, err := json.Marshal(res)
	must(err)
	os.Stdout.Write(out)
}
