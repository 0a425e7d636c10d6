# lx — 两条命令即可在新机器上运行：`make run`（安装并在自带数据上运行 lx）与 `make test`（安装并运行全部测试）。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test quick lint bench fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/lx validate
	$(BIN)/lx status --as-of 2022-12-31

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

# 测试前先确认 LibreOffice、poppler 与字体已就位（以 root 运行且缺少时才用 apt-get 安装；否则只作说明）
test: lint
	sh tools/system-packages.sh
	$(BIN)/lx validate
	$(BIN)/pytest

# 快速测试（日常修改时用）：跳过标记为 slow 的长测试（模糊、崩溃、并发、端到端）；make test 仍运行全部
quick: $(STAMP)
	$(BIN)/pytest -m "not slow"

# 基准测试（不属于测试套件）：生成区、市两级数据并计时，写入 benchmarks/RESULTS.md
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet 'check-jsonschema>=0.28'
	$(BIN)/python -m benchmarks.run --scales district,city

# 更长时间的模糊测试：每项 2000 个样例
fuzz: $(STAMP)
	LX_FUZZ_EXAMPLES=2000 $(BIN)/pytest tests/test_fuzz.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
