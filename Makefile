# tweetnb: `make demo` runs the pipeline on the bundled sample, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
START  ?= 2023-05-14
END    ?= 2023-05-31
OUT    ?= outputs/demo
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup chromium demo trump test nbtest pytest lab docs export sync-check bench bench-sentiment train-sentiment \
	train-ner ner-eval image \
	clean-outputs

$(STAMP): requirements.txt constraints.txt settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@$(MAKE) -s chromium
	touch $(STAMP)

setup: $(STAMP)

# the report's static PNGs are plotly's own export (kaleido), which drives a Chromium: Debian's, installed when we can
chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	    command -v google-chrome >/dev/null 2>&1 || [ -n "$$BROWSER_PATH" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium and Noto fonts (the report's PNGs are drawn by it, in every script)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk >/dev/null; } || \
	  echo "note: could not install chromium: reports will have no PNGs"; \
	else \
	  echo "note: no Chromium found: reports will have no PNGs (sudo apt-get install chromium, or set BROWSER_PATH)"; \
	fi

demo: setup
	$(BIN)/tweetnb run --source sample --start $(START) --end $(END) --out $(OUT) -p language.region=SG -p topics.nr_topics=auto
	@echo "open $(OUT)/report.html"

# issue 12's measurement: the 13k Trump tweets of ../shared (CSV column map, all defaults), then their topic quality
TRUMP ?= ../shared/data/trump-tweets-2015-2018/trump_tweets.csv.gz
trump: setup
	$(BIN)/tweetnb run --source $(TRUMP) --start 2015-03-30 --end 2018-06-24 --out outputs/trump \
	  --lake outputs/trump-lake --to-stage report \
	  -p 'crawl.csv_format={"columns": {"id": "Tweet ID", "created_at": "Date", "text": "Text"}}'
	$(BIN)/tweetnb topics evaluate --run outputs/trump

test: setup sync-check nbtest pytest

# the library must be what the notebooks export (nbs/ is the source of truth)
sync-check: setup
	$(BIN)/nbdev_export
	@if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- tweetnb; then \
	  echo "tweetnb/ is out of sync with nbs/: run nbdev_export and commit"; git diff --stat -- tweetnb; exit 1; fi

nbtest: setup
	$(BIN)/nbdev_test --n_workers 2

pytest: setup
	$(BIN)/pytest -q --durations=10 tests

export: setup
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export

lab: setup
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install -q jupyterlab==4.6.6 -c constraints.txt
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (tweetnb)"
	$(BIN)/jupyter lab --notebook-dir=. $(LAB_ARGS)

docs: setup
	$(BIN)/python scripts/docs.py --out _docs
	@echo "open _docs/index.html"

bench: setup
	$(BIN)/python bench/bench_stages.py

# the image SageMaker Processing jobs run (see Dockerfile and the README's "On SageMaker"); push it to ECR yourself
IMAGE ?= tweetnb:latest
image:
	@command -v docker >/dev/null 2>&1 || { echo "make image needs docker (not installed here)"; exit 1; }
	docker build -t $(IMAGE) .
	docker run --rm $(IMAGE) jupyter kernelspec list

# the shipped sentiment model (tweetnb/data/models/minilm-tweeteval) from scratch: LoRA on the bundled MiniLM,
# TweetEval sentiment train/validation from ../shared (see tweetnb/data/models/minilm-tweeteval/MODEL_CARD.md)
SENTIMENT_DATA ?= ../shared/data/tweeteval/sentiment
SENTIMENT_OUT  ?= outputs/train/minilm-tweeteval
TRAIN_ARGS     ?= --stop-after-epochs 2
train-sentiment: setup
	$(BIN)/tweetnb sentiment train --preset minilm-lora --train $(SENTIMENT_DATA)/train_reconstructed_semeval2013-2016.jsonl.gz \
	  --valid $(SENTIMENT_DATA)/val_text.txt --valid-labels $(SENTIMENT_DATA)/val_labels.txt --out-dir $(SENTIMENT_OUT) $(TRAIN_ARGS)
	cp $(SENTIMENT_OUT)/model/* tweetnb/data/models/minilm-tweeteval/
	@echo "shipped: tweetnb/data/models/minilm-tweeteval (update its MODEL_CARD.md)"

# issue 13: the shipped tweet NER from scratch: LoRA on the bundled MiniLM, fitted on WNUT-17 train + dev and stopped
# after epoch 2 of 5, the epoch dev chose (NER_TUNE=1: train only, dev scored after every epoch); then its entity-level
# scores (WNUT-17's way) beside spaCy's en_core_web_sm on WNUT-17 test
WNUT ?= ../shared/data/wnut17
NER_OUT ?= outputs/train/tweet-ner-wnut17
train-ner: setup
ifdef NER_TUNE
	$(BIN)/tweetnb entities train --train $(WNUT)/wnut17train.conll --dev $(WNUT)/emerging.dev.conll --out $(NER_OUT) \
	  --lora-r 16 --epochs 5 --lr 1e-3 --threads 2
else
	$(BIN)/tweetnb entities train --train $(WNUT)/wnut17train.conll $(WNUT)/emerging.dev.conll --out $(NER_OUT) \
	  --lora-r 16 --epochs 5 --stop-after 2 --lr 1e-3 --threads 2
endif
	@echo "to ship: cp $(NER_OUT)/{adapter_config.json,adapter_model.safetensors,head.safetensors,ner_config.json} tweetnb/data/models/tweet-ner-wnut17/"

ner-eval: setup
	$(BIN)/tweetnb entities evaluate --conll $(WNUT)/emerging.test.annotated --model tweet,spacy

bench-sentiment: setup
	$(BIN)/python bench/bench_sentiment.py

clean-outputs:
	rm -rf outputs/demo outputs/lab
