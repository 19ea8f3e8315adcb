#!/usr/bin/env bash
# GPU check, for a machine with CUDA: both engines on the GPU (float16), side by side with the
# naive way, on the same 200 newstest2014 sentences as the CPU benchmark. Under 5 minutes on
# one datacenter GPU. Run from the repository root after the README's install command.
set -euo pipefail
cd "$(dirname "$0")/.."
python -c "import torch, ctranslate2; assert torch.cuda.is_available(), 'no CUDA'; \
print('torch', torch.__version__, torch.cuda.get_device_name(0), '| ctranslate2', \
ctranslate2.__version__, ctranslate2.get_supported_compute_types('cuda'))"
timeout 280 python benchmarks/translate_speed.py --device cuda --batch-tokens 16384 \
  --rows naive-beam4,transformers-fp16-beam4,transformers-fp16-greedy,ct2-float16-beam4,ct2-float16-greedy,ct2-int8_float16-beam4,ct2-int8_float16-greedy,raw-ct2-float16-beam4
