# The tweetnb image for SageMaker Processing jobs (`make image`; push it to ECR and pass its URI as --image).
# A CUDA runtime base; the pinned package set of requirements.txt/constraints.txt, with torch's CUDA build in place
# of the CPU build the laptop setup uses. The job's command is `tweetnb stage NAME --processing` (set per job by
# `tweetnb run --backend sagemaker`), so the image has no ENTRYPOINT of its own.
ARG BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
FROM ${BASE}

ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 python3-venv python3-dev \
      build-essential git chromium fonts-noto-core && rm -rf /var/lib/apt/lists/* && python3 -m venv /opt/venv

WORKDIR /opt/tweetnb
# dependencies first (a layer that changes only with the pins); torch from PyTorch's CUDA wheel index
COPY requirements.txt constraints.txt ./
ARG TORCH_INDEX=https://download.pytorch.org/whl/cu128
RUN grep -v '^torch==' requirements.txt > /tmp/req.txt \
 && sed 's/^torch==.*/torch==2.13.0/' constraints.txt > /tmp/cons.txt \
 && pip install -q --extra-index-url ${TORCH_INDEX} torch==2.13.0 \
 && pip install -q -r /tmp/req.txt -c /tmp/cons.txt

# the project itself: the stage notebooks (nbs/) are what the jobs run
COPY . .
RUN pip install -q --no-deps -e . \
 # papermill asks for the kernel `python3`: register exactly that name (no "No such kernel" inside the job)
 && python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (tweetnb)" \
 && jupyter kernelspec list | grep -q '^ *python3 ' \
 && tweetnb stages > /dev/null

# no credentials in the image: jobs get theirs from the execution role
CMD ["tweetnb", "--help"]
