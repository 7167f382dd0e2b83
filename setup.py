"""setup.py for tweetnb: reads everything from settings.ini (nbdev 2 layout)."""
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=['='])
cfg.read('settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable']
lic = licenses[cfg['license']]
requirements = cfg.get('requirements', '').split()
dev_requirements = cfg.get('dev_requirements', '').split()
llama_requirements = cfg.get('llama_requirements', '').split()  # optional: compiles llama.cpp from source
gpu_requirements = cfg.get('gpu_requirements', '').split()  # optional: RAPIDS cuML for topics on a CUDA GPU

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'],
    license=lic[0], keywords=cfg['keywords'],
    url=cfg['git_url'],
    classifiers=[
        'Development Status :: ' + statuses[int(cfg['status'])],
        'Intended Audience :: ' + cfg['audience'],
        'License :: ' + lic[1],
        'Natural Language :: ' + cfg['language'],
        'Programming Language :: Python :: 3.11',
    ],
    python_requires='>=' + cfg['min_python'],
    packages=setuptools.find_packages(include=['tweetnb', 'tweetnb.*']),
    include_package_data=True,
    package_data={'tweetnb': ['data/sample/*', 'data/*.json', 'data/models/*/*', 'data/prompts/*', 'data/sagemaker/*']},
    install_requires=requirements,
    extras_require={'dev': dev_requirements, 'llama': llama_requirements, 'gpu': gpu_requirements},
    entry_points={
        'console_scripts': cfg['console_scripts'].split(),
        'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
    },
    zip_safe=False,
)
