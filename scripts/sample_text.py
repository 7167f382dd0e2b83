"""Text fragments for the synthetic sample corpus (see make_sample.py). All of it is made up for tweetnb."""

# subject -> English fragments. `body` are statements of fact/observation, `pos`/`neg` opinions on the subject,
# `tags` hashtags, `ctx` X context annotations (domain, entity), `bias` (p_pos, p_neg) of the subject's opinions.
EN = {
    'mrt': dict(
        body=['Circle Line train stuck between Bishan and Lorong Chuan for 40 minutes',
              'East-West Line disruption at Tampines, shuttle buses everywhere',
              'signal fault on the North-South Line again this morning',
              'MRT breakdown at Jurong East, platform packed shoulder to shoulder',
              'train doors not closing at Outram Park so the whole line is delayed',
              'free bridging buses between Pasir Ris and Tanah Merah because of the train fault',
              'Downtown Line running slow, 25 minute wait at Bugis',
              'SMRT says the power fault is fixed but trains still crawling at City Hall'],
        pos=['staff at the station were really helpful and kind', 'at least the bus captain was super patient',
             'glad they fixed it quickly this time', 'thankful the aircon on the train still works'],
        neg=['so frustrating, late for work again', 'this is ridiculous, third breakdown this month',
             'terrible communication, no announcement at all', 'I am so tired of these delays',
             'worst commute ever, angry and sweaty', 'how can a world class system fail so often'],
        tags=['MRT', 'SMRT', 'CircleLine', 'sgtransport', 'EWL'], bias=(0.15, 0.75),
        ctx=[('Transportation', 'SMRT'), ('Transportation', 'Public transit'), ('Local News', 'Singapore')]),
    'housing': dict(
        body=['the new BTO launch in Tengah got 8 times oversubscribed', 'resale HDB flat in Queenstown just sold for over 1.2 million',
              'rental for a 3-room flat in Bedok went up 30% this year', 'waited four years for our BTO keys in Punggol',
              'HDB announced new prime location housing rules', 'balloted for the Kallang Whampoa BTO and got queue number 2000+',
              'million dollar HDB flats are becoming normal now', 'landlord wants another 500 dollars a month to renew the lease'],
        pos=['finally got our keys, so happy and grateful', 'really excited to start renovation', 'good that the government is adding more supply'],
        neg=['young couples cannot afford this anymore', 'housing is way too expensive, so stressful', 'feels hopeless for first time buyers',
             'this is crazy and unfair', 'worried we will never own a home'],
        tags=['HDB', 'BTO', 'housing', 'property'], bias=(0.2, 0.65),
        ctx=[('Interests and Hobbies', 'Real estate'), ('Local News', 'Singapore'), ('Government', 'HDB')]),
    'hawker': dict(
        body=['had the chicken rice at Maxwell Food Centre for lunch', 'queued 30 minutes for laksa at Old Airport Road',
              'char kway teow from the Bedok hawker centre', 'nasi lemak with extra sambal at Adam Road',
              'bak chor mee at Tiong Bahru market this morning', 'satay at Lau Pa Sat with the colleagues tonight',
              'roti prata and teh tarik for supper at Jalan Kayu', 'hokkien mee uncle at Newton is finally back'],
        pos=['absolutely delicious, worth every cent', 'best meal of the week, so good', 'amazing taste, love our hawker culture',
             'cheap and tasty, highly recommend', 'the uncle is so friendly and the food is awesome', 'perfect, shiok'],
        neg=['prices went up again and the portion is smaller', 'disappointing, not as good as before', 'too salty and oily today'],
        tags=['hawker', 'sgfood', 'foodie', 'SingaporeEats'], bias=(0.75, 0.15),
        ctx=[('Food', 'Hawker food'), ('Interests and Hobbies', 'Food'), ('Brand', 'Singapore tourism')]),
    'weather': dict(
        body=['it is 35 degrees today and the humidity is unbearable', 'heavy thunderstorm and flash floods along Bukit Timah Road',
              'NEA says this week will be the hottest in May', 'haze is back, PSI near 100 in the west',
              'sudden downpour in Orchard and everyone is stuck under the shelter', 'heat stress warning for outdoor workers this afternoon',
              'the sun is brutal at the bus stop', 'the rain finally cooled down the evening'],
        pos=['nice cool breeze tonight, lovely', 'the rain is a welcome relief', 'beautiful sunset after the storm'],
        neg=['so hot I cannot sleep, miserable', 'this heat is killing me', 'awful weather, soaked completely',
             'terrible haze, stay indoors everyone', 'sweating buckets, hate this'],
        tags=['sgweather', 'heatwave', 'haze', 'rain'], bias=(0.2, 0.6),
        ctx=[('Weather', 'Heat wave'), ('Local News', 'Singapore'), ('Weather', 'Thunderstorm')]),
    'concert': dict(
        body=['Coldplay concert tickets at the National Stadium sold out in minutes', 'stuck in the online queue at number 450,000',
              'ticket resale sites asking 2,000 dollars for a category 1 seat', 'Taylor Swift fans camping for the presale code',
              'the concert ticket sale website crashed again', 'six shows at the National Stadium and still no tickets',
              'scalpers bought everything within the first hour', 'presale opens at 10am tomorrow for card members'],
        pos=['I GOT TICKETS! so excited, best day ever', 'cannot wait for the show, dreams come true',
             'finally going with my best friends, so happy', 'amazing, grateful and excited'],
        neg=['the queue system is a joke', 'scalpers are disgusting, so unfair to real fans', 'heartbroken, no tickets again',
             'what a terrible experience, waste of a whole morning'],
        tags=['Coldplay', 'concert', 'NationalStadium', 'tickets'], bias=(0.45, 0.45),
        ctx=[('Music Genre', 'Pop'), ('Musician', 'Coldplay'), ('Entertainment', 'Concerts')]),
    'ai': dict(
        body=['our company started using ChatGPT to draft reports', 'teachers are discussing how students use AI for homework',
              'the ministry released guidelines on generative AI in schools', 'tried an AI tool to summarise a 60 page contract',
              'my boss asked everyone to attend a generative AI workshop', 'NUS students built an AI chatbot for course registration',
              'AI generated images are everywhere on my feed', 'the bank says it will use AI for customer service'],
        pos=['honestly it saves me hours, impressive', 'useful for brainstorming ideas, pretty cool', 'great tool if you check the facts'],
        neg=['worried about jobs being replaced', 'it made up sources, not reliable', 'scary how fast this is moving'],
        tags=['AI', 'ChatGPT', 'GenerativeAI', 'tech'], bias=(0.35, 0.3),
        ctx=[('Technology', 'Artificial intelligence'), ('Brand', 'OpenAI'), ('Technology', 'Software')]),
    'football': dict(
        body=['Manchester City beat Real Madrid 4-0 in the Champions League semi final', 'watching the Champions League at 3am again',
              'Lion City Sailors won the Singapore Premier League match last night', 'Arsenal lost the title race to City',
              'the Singapore national team is training for the friendly against the Solomon Islands',
              'Haaland scored again, what a season', 'the Jalan Besar stadium was packed for the match', 'Inter Milan reached the final'],
        pos=['incredible performance, what a win', 'brilliant football, loved every minute', 'so proud of the team tonight'],
        neg=['awful defending, so disappointed', 'the referee was terrible', 'painful to watch, embarrassing loss'],
        tags=['UCL', 'football', 'SPL', 'MCFC'], bias=(0.5, 0.35),
        ctx=[('Sports Event', 'UEFA Champions League'), ('Sport', 'Soccer'), ('Sports Team', 'Manchester City')]),
    'cost': dict(
        body=['GST went up to 8% this year and my grocery bill shows it', 'electricity tariff increases again next quarter',
              'a plate of economic rice now costs 6 dollars', 'COE prices for cars hit a new record', 'taxi fares and ride hailing surcharges keep rising',
              'the government announced more CDC vouchers for households', 'my salary increment cannot keep up with inflation',
              'milk powder prices have doubled in two years'],
        pos=['the vouchers really help, thank you', 'good support for seniors'],
        neg=['cost of living is crushing families', 'everything is so expensive, I am stressed', 'we are struggling to save anything',
             'this is painful, prices only go up', 'unaffordable, really worried about the future'],
        tags=['CostOfLiving', 'GST', 'inflation', 'sgbudget'], bias=(0.15, 0.7),
        ctx=[('Business Taxonomy', 'Inflation'), ('Local News', 'Singapore'), ('Government', 'Ministry of Finance')]),
    'dengue': dict(
        body=['NEA reported over 200 dengue cases in Woodlands this week', 'another dengue cluster in Bedok North',
              'town council fogging the void deck against mosquitoes', 'my neighbour is in hospital with dengue fever',
              'check your flower pots for mosquito breeding', 'the dengue vaccine is not recommended for everyone',
              'COVID cases are rising slightly again this month', 'clinics are busy with flu and dengue patients'],
        pos=['thankful the nurses are amazing', 'good that the inspectors act fast'],
        neg=['scary, please stay safe', 'terrible, the mosquitoes are everywhere', 'worrying for families with kids'],
        tags=['dengue', 'NEA', 'health', 'sghealth'], bias=(0.2, 0.5),
        ctx=[('Health', 'Dengue fever'), ('Local News', 'Singapore'), ('Government', 'NEA')]),
}

OPENERS = ['', '', '', 'Wow, ', 'Omg ', 'Ugh, ', 'Just saw this: ', 'Update: ', 'Honestly ', 'Not gonna lie, ', 'So today ',
           'Can someone explain why ', 'Breaking: ', 'lol ', 'FYI ', 'Me: ']
SINGLISH = ['lah', 'sia', 'leh', 'lor', 'can or not', 'walao', 'shiok']
NEUTRAL = ['anyone else?', 'more details soon', 'thoughts?', 'just sharing', 'see the link', 'as of 8am', 'noted']

# other languages: subject -> sentences (mixed polarity), and generic positive/negative tails.
ZH = {
    'mrt': ['地铁环线又故障了，等了四十分钟', '东西线今天早上延误，上班迟到了', '地铁站里人太多了，真受不了'],
    'housing': ['组屋价格越来越高，年轻人买不起', '终于拿到预购组屋的钥匙了，好开心', '租金又涨了三成'],
    'hawker': ['麦士威熟食中心的海南鸡饭真好吃', '今天的叻沙太棒了', '小贩中心的炒粿条便宜又美味'],
    'weather': ['今天三十五度，热得要命', '突然下大雨，到处淹水', '烟霾又来了，大家小心'],
    'concert': ['酷玩乐队的演唱会门票几分钟就卖完了', '排队买票排了一个上午，太失望了', '抢到票了！超级兴奋'],
    'ai': ['公司开始用人工智能写报告', '老师担心学生用ChatGPT做作业', '人工智能工具真的很方便'],
    'football': ['曼城四比零大胜皇马', '凌晨三点看欧冠，太精彩了', '裁判太差了，输得好冤'],
    'cost': ['消费税涨到百分之八，生活费越来越高', '电费又要涨了，压力很大', '经济饭一盘要六块钱'],
    'dengue': ['兀兰这周有两百多起骨痛热症病例', '大家要注意清理积水，防止蚊子', '邻居得了骨痛热症住院了'],
}
ZH_TAIL = (['太好了！', '真开心', '推荐！'], ['真的很烦', '太糟糕了', '好累啊'])
MS = {
    'mrt': ['Kereta api MRT rosak lagi di Circle Line pagi ini', 'Saya lambat ke tempat kerja sebab gangguan MRT', 'Stesen Tampines penuh sesak hari ini'],
    'housing': ['Harga flat HDB semakin mahal untuk pasangan muda', 'Akhirnya kami dapat kunci rumah BTO', 'Sewa rumah naik lagi tahun ini'],
    'hawker': ['Nasi lemak di Adam Road memang sedap', 'Makan satay di Lau Pa Sat dengan kawan-kawan', 'Harga makanan di pusat penjaja naik lagi'],
    'weather': ['Cuaca sangat panas hari ini, tak tahan', 'Hujan lebat dan banjir kilat di Bukit Timah', 'Jerebu kembali, jaga kesihatan semua'],
    'concert': ['Tiket konsert Coldplay habis dijual dalam beberapa minit', 'Saya beratur dalam talian sepanjang pagi', 'Dapat tiket! Gembira sangat'],
    'ai': ['Syarikat kami mula guna AI untuk menulis laporan', 'Guru risau pelajar guna ChatGPT untuk kerja rumah', 'Alat AI ini sangat berguna'],
    'football': ['Manchester City menang besar malam tadi', 'Menonton Liga Juara-Juara pada pukul tiga pagi', 'Pengadil teruk sangat malam ini'],
    'cost': ['GST naik dan kos sara hidup semakin tinggi', 'Tarif elektrik akan naik lagi', 'Semua barang mahal sekarang, susah nak simpan duit'],
    'dengue': ['Kes denggi meningkat di Woodlands minggu ini', 'Tolong buang air bertakung di rumah', 'Jiran saya dimasukkan ke hospital kerana denggi'],
}
MS_TAIL = (['Syukur sangat', 'Memang terbaik', 'Seronok!'], ['Sangat kecewa', 'Teruk betul', 'Penat betul hari ini'])
TA = {
    'mrt': ['இன்று காலை எம்ஆர்டி ரயில் மீண்டும் பழுதடைந்தது', 'ரயில் தாமதத்தால் வேலைக்கு தாமதமாக வந்தேன்', 'தம்பினிஸ் நிலையத்தில் கூட்டம் அதிகம்'],
    'housing': ['வீட்டு விலை மிகவும் அதிகமாகிவிட்டது', 'இறுதியாக எங்கள் புதிய வீட்டின் சாவி கிடைத்தது', 'வாடகை இந்த ஆண்டு மீண்டும் உயர்ந்தது'],
    'hawker': ['லிட்டில் இந்தியாவில் பிரியாணி மிகவும் சுவையாக இருந்தது', 'இரவு உணவுக்கு ரொட்டி பிராட்டா சாப்பிட்டோம்', 'உணவங்காடி நிலைய உணவு விலை உயர்ந்துவிட்டது'],
    'weather': ['இன்று வெயில் மிகவும் அதிகம்', 'கனமழையால் சாலைகளில் வெள்ளம்', 'புகைமூட்டம் மீண்டும் வந்துவிட்டது'],
    'concert': ['இசை நிகழ்ச்சி டிக்கெட்டுகள் சில நிமிடங்களில் விற்றுத் தீர்ந்தன', 'காலை முழுவதும் வரிசையில் காத்திருந்தேன்', 'டிக்கெட் கிடைத்தது, மிகவும் மகிழ்ச்சி'],
    'ai': ['எங்கள் நிறுவனம் செயற்கை நுண்ணறிவைப் பயன்படுத்தத் தொடங்கியது', 'மாணவர்கள் வீட்டுப்பாடத்திற்கு சாட்ஜிபிடி பயன்படுத்துகிறார்கள்', 'இந்த கருவி மிகவும் பயனுள்ளதாக உள்ளது'],
    'football': ['நேற்று இரவு கால்பந்து போட்டி அருமையாக இருந்தது', 'அதிகாலை மூன்று மணிக்கு போட்டியைப் பார்த்தேன்', 'நடுவர் மிகவும் மோசமாக இருந்தார்'],
    'cost': ['பொருட்களின் விலை அதிகரித்து வருகிறது', 'மின்சாரக் கட்டணம் மீண்டும் உயரும்', 'வாழ்க்கைச் செலவு மிகவும் கடினமாக உள்ளது'],
    'dengue': ['உட்லண்ட்ஸில் டெங்கி நோயாளிகள் அதிகரித்துள்ளனர்', 'வீட்டில் தேங்கி நிற்கும் நீரை அகற்றுங்கள்', 'என் அண்டை வீட்டுக்காரர் டெங்கியால் மருத்துவமனையில் உள்ளார்'],
}
TA_TAIL = (['மிகவும் மகிழ்ச்சி', 'அருமை!', 'நன்றி'], ['மிகவும் வருத்தம்', 'மோசமான அனுபவம்', 'சோர்வாக இருக்கிறது'])
JA = {
    'mrt': ['シンガポールのMRTがまた止まった', '電車の遅延で会議に遅刻した', '駅がすごく混んでいる'],
    'housing': ['シンガポールの家賃が高すぎる', '新しいアパートの鍵をやっともらった', '家賃がまた三割上がった'],
    'hawker': ['マックスウェルのチキンライスが最高に美味しい', 'ホーカーでラクサを食べた', 'ホーカーの料理は安くて美味しい'],
    'weather': ['今日は35度で暑すぎる', '急に大雨が降って道路が冠水した', 'ヘイズが戻ってきた、気をつけて'],
    'concert': ['コールドプレイのチケットが数分で売り切れた', '午前中ずっとオンラインで並んだ', 'チケット取れた！嬉しすぎる'],
    'ai': ['会社でAIを使って報告書を書き始めた', '学生が宿題にChatGPTを使っている', 'このAIツールは本当に便利'],
    'football': ['マンチェスター・シティが4対0で勝った', '朝3時にチャンピオンズリーグを観戦', '審判がひどかった'],
    'cost': ['物価がどんどん上がっている', '電気代がまた値上がりする', '生活費が高くて大変'],
    'dengue': ['ウッドランズでデング熱の患者が増えている', '蚊に気をつけてください', '隣人がデング熱で入院した'],
}
JA_TAIL = (['最高！', '嬉しい', 'おすすめです'], ['本当に残念', '最悪だ', '疲れた'])
ES = {
    'mrt': ['El metro de Singapur se averió otra vez esta mañana', 'Llegué tarde al trabajo por el retraso del tren', 'La estación de Tampines estaba llena'],
    'housing': ['Los precios de la vivienda en Singapur están por las nubes', 'Por fin recibimos las llaves de nuestro piso', 'El alquiler subió un treinta por ciento'],
    'hawker': ['El arroz con pollo de Maxwell es increíble', 'Probé el laksa en un hawker centre', 'La comida callejera aquí es barata y deliciosa'],
    'weather': ['Hace muchísimo calor hoy, 35 grados', 'Tormenta fuerte e inundaciones en la ciudad', 'Ha vuelto la neblina, cuidado todos'],
    'concert': ['Las entradas de Coldplay se agotaron en minutos', 'Pasé toda la mañana en la cola virtual', '¡Conseguí entradas! Estoy feliz'],
    'ai': ['Mi empresa empezó a usar inteligencia artificial para los informes', 'Los profesores se preocupan por ChatGPT en los deberes', 'Esta herramienta de IA es muy útil'],
    'football': ['El Manchester City goleó al Real Madrid cuatro a cero', 'Viendo la Champions a las tres de la mañana', 'El árbitro fue terrible'],
    'cost': ['Todo está más caro, el costo de vida es una locura', 'La factura de la luz sube otra vez', 'No podemos ahorrar nada este año'],
    'dengue': ['Aumentan los casos de dengue en Woodlands', 'Eliminen el agua estancada en casa', 'Mi vecino está en el hospital con dengue'],
}
ES_TAIL = (['¡Qué maravilla!', 'Me encanta', 'Muy contento'], ['Qué desastre', 'Muy decepcionante', 'Estoy harto'])

OTHER = {'zh': (ZH, ZH_TAIL), 'ms': (MS, MS_TAIL), 'ta': (TA, TA_TAIL), 'ja': (JA, JA_TAIL), 'es': (ES, ES_TAIL)}

EMOJI_POS = ['😍', '😋', '🥳', '❤️', '👍', '🙌', '😊', '🔥', '✨']
EMOJI_NEG = ['😡', '😤', '😭', '🙄', '😩', '🥵', '💸', '😞']
EMOJI_NEU = ['🤔', '📢', '👀', '🚇', '🏠', '🍜', '⚽', '🎶', '🦟']

SG_PLACES = [('Tampines, Singapore', 'Tampines', 103.94, 1.35), ('Jurong West, Singapore', 'Jurong West', 103.70, 1.34),
             ('Woodlands, Singapore', 'Woodlands', 103.79, 1.44), ('Bedok, Singapore', 'Bedok', 103.93, 1.32),
             ('Queenstown, Singapore', 'Queenstown', 103.80, 1.29), ('Singapore', 'Singapore', 103.82, 1.35),
             ('Punggol, Singapore', 'Punggol', 103.91, 1.40), ('Downtown Core, Singapore', 'Downtown Core', 103.85, 1.28)]
OTHER_PLACES = [('Kuala Lumpur, Malaysia', 'Kuala Lumpur', 'MY', 'Malaysia', 101.69, 3.14),
                ('Chennai, India', 'Chennai', 'IN', 'India', 80.27, 13.08), ('Tokyo, Japan', 'Tokyo', 'JP', 'Japan', 139.69, 35.69),
                ('Madrid, Spain', 'Madrid', 'ES', 'Spain', -3.70, 40.42), ('Johor Bahru, Malaysia', 'Johor Bahru', 'MY', 'Malaysia', 103.76, 1.49)]
LOCATIONS = ['Singapore', 'sg', 'Singapore 🇸🇬', 'somewhere lah', 'Tampines', 'SG | KL', 'Jurong West', 'Punggol, Singapore', 'earth',
             'Kuala Lumpur', 'Chennai', 'Tokyo', 'Madrid', '', '', '', 'the void deck', 'NUS', 'Sengkang', 'Bedok North']
FIRST = ['Wei Ling', 'Ahmad', 'Priya', 'Jun Jie', 'Siti', 'Kumar', 'Hui Min', 'Daniel', 'Nurul', 'Arjun', 'Mei', 'Farid',
         'Kavitha', 'Ryan', 'Aiko', 'Carlos', 'Lucía', 'Haruto', 'Xin Yi', 'Irfan', 'Deepa', 'Marcus', 'Yuki', 'Sofia']
LAST = ['Tan', 'Lim', 'bin Ismail', 'Raj', 'Ng', 'Wong', 'Abdullah', 'Pillai', 'Goh', 'Lee', 'Sato', 'García', 'Chua', 'Menon']
HANDLE_WORDS = ['sg', 'kopi', 'makan', 'runner', 'daily', 'cat', 'mrt', 'foodie', 'lion', 'merlion', 'tech', 'ball', 'auntie',
                'uncle', 'chill', 'news', 'life', 'jb', 'kl', 'tokyo', 'madrid', 'chennai', 'hdb', 'void', 'deck', 'teh']
