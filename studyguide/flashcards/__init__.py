"""The card engine: flashcards.pdf and calibration.pdf.

Read in the order a build runs it:

- faces.py: a face for every card (question, answer, their sizes) and the face's geometry;
- sheets.py: where faces go on the paper, front and back, with crop, cut and fold lines;
- ids.py: the ids by which a render tells where each text and piece of text lies;
- estimate.py: a safe guess of a text's height, so that most texts need no measuring;
- blocks.py: an answer cut into pieces that can go on separate cards;
- fit.py: the sizes (and the cards) every text needs, measured in as few renders as can be;
- render.py: the sheets rendered, and checked that nothing overflowed;
- calibration.py: the sheet that shows how far a printer shifts the back side.
"""
